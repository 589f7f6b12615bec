/**
 * Test oracle: an independent, brute-force implementation of herd7's POWER model
 * (`herd/libdir/ppc.cat` with `ppc-checks.cat`, `ppcfences.cat` and the `ppo.cat` fixpoint; Alglave,
 * Maranget, Tautschnig, "Herding cats", TOPLAS 2014), over the images of small litmus tests.
 *
 * It enumerates candidate executions the way herd7 does — per-thread event structures for every
 * choice of read values, then every read-from and every coherence order — keeps those that pass
 * the model's axioms, and returns the distinct final states (the image's `observe` values). It
 * shares no code with the operational model in `src/power.ts`: the tests compare the two.
 *
 * Scope: litmus-style code only (integer, compare, branch, `lwz`/`lwzx`, `stw`/`stwx`, `sync`,
 * `lwsync`, `isync`, `halt`); loops are cut after `MAX_STEPS` instructions per thread.
 */
import { CR_EQ, CR_GT, CR_LT, type Image, INSTR_WORDS, Op } from '@naplab/isa';

const MAX_STEPS = 200;

type Kind = 'R' | 'W' | 'F';
type Fence = 'sync' | 'lwsync' | 'isync';

interface LocalEvent {
  kind: Kind;
  fence?: Fence;
  addr: number;
  val: number;
  /** local indices (in the thread's event list) of the reads this event depends on */
  addrDeps: Set<number>;
  dataDeps: Set<number>;
  ctrlDeps: Set<number>;
  ctrlIsyncDeps: Set<number>;
}

interface ThreadRun {
  events: LocalEvent[];
  regs: number[];
}

interface Val {
  v: number;
  d: Set<number>;
}

const cmpS = (x: number, y: number) => (x < y ? CR_LT : x > y ? CR_GT : CR_EQ);
const cmpU = (x: number, y: number) => cmpS(x >>> 0, y >>> 0);
const union = (...xs: Set<number>[]) => {
  const s = new Set<number>();
  for (const x of xs) for (const v of x) s.add(v);
  return s;
};

/** Every execution of thread `t` with reads returning values from `domain` (per address). */
function runThread(img: Image, t: number, domain: Map<number, number[]>): ThreadRun[] {
  const code = img.code;
  const out: ThreadRun[] = [];
  interface St {
    pc: number;
    gpr: Val[];
    cr: Val[];
    lr: Val;
    ctr: Val;
    ctrl: Set<number>;
    ctrlIsync: Set<number>;
    events: LocalEvent[];
    steps: number;
  }
  const init: St = {
    pc: img.threads[t]!.pc,
    gpr: Array.from({ length: 32 }, () => ({ v: 0, d: new Set<number>() })),
    cr: Array.from({ length: 8 }, () => ({ v: 0, d: new Set<number>() })),
    lr: { v: 0, d: new Set() },
    ctr: { v: 0, d: new Set() },
    ctrl: new Set(),
    ctrlIsync: new Set(),
    events: [],
    steps: 0,
  };
  for (const [r, v] of img.threads[t]!.regs) init.gpr[r] = { v, d: new Set() };
  const clone = (s: St): St => ({
    ...s,
    gpr: [...s.gpr],
    cr: [...s.cr],
    events: [...s.events],
    ctrl: new Set(s.ctrl),
    ctrlIsync: new Set(s.ctrlIsync),
  });
  const ev = (s: St, e: Omit<LocalEvent, 'ctrlDeps' | 'ctrlIsyncDeps'>) => {
    s.events.push({ ...e, ctrlDeps: new Set(s.ctrl), ctrlIsyncDeps: new Set(s.ctrlIsync) });
  };
  const noDeps = new Set<number>();
  const go = (s: St): void => {
    for (;;) {
      if (s.steps++ > MAX_STEPS) throw new Error(`thread ${t}: more than ${MAX_STEPS} steps (a loop?)`);
      const i = s.pc * INSTR_WORDS;
      const [op, a, b, c] = [code[i]!, code[i + 1]!, code[i + 2]!, code[i + 3]!];
      const g = s.gpr;
      const base = (r: number): Val => (r === 0 ? { v: 0, d: noDeps } : g[r]!);
      let next = s.pc + 1;
      switch (op) {
        case Op.halt:
          out.push({ events: s.events, regs: g.map((x) => x.v) });
          return;
        case Op.nop:
          break;
        case Op.li:
          g[a] = { v: c | 0, d: noDeps };
          break;
        case Op.lis:
          g[a] = { v: (c << 16) | 0, d: noDeps };
          break;
        case Op.la:
        case Op.addi:
          g[a] = { v: (base(b).v + c) | 0, d: base(b).d };
          break;
        case Op.addis:
          g[a] = { v: (base(b).v + (c << 16)) | 0, d: base(b).d };
          break;
        case Op.mr:
          g[a] = g[b]!;
          break;
        case Op.add:
          g[a] = { v: (g[b]!.v + g[c]!.v) | 0, d: union(g[b]!.d, g[c]!.d) };
          break;
        case Op.subf:
          g[a] = { v: (g[c]!.v - g[b]!.v) | 0, d: union(g[b]!.d, g[c]!.d) };
          break;
        case Op.and:
          g[a] = { v: g[b]!.v & g[c]!.v, d: union(g[b]!.d, g[c]!.d) };
          break;
        case Op.or:
          g[a] = { v: g[b]!.v | g[c]!.v, d: union(g[b]!.d, g[c]!.d) };
          break;
        case Op.xor:
          g[a] = { v: g[b]!.v ^ g[c]!.v, d: union(g[b]!.d, g[c]!.d) };
          break;
        case Op.ori:
          g[a] = { v: g[b]!.v | (c & 0xffff), d: g[b]!.d };
          break;
        case Op.xori:
          g[a] = { v: g[b]!.v ^ (c & 0xffff), d: g[b]!.d };
          break;
        case Op.mullw:
          g[a] = { v: Math.imul(g[b]!.v, g[c]!.v), d: union(g[b]!.d, g[c]!.d) };
          break;
        case Op.mulli:
          g[a] = { v: Math.imul(g[b]!.v, c), d: g[b]!.d };
          break;
        case Op.cmpw:
          s.cr[a] = { v: cmpS(g[b]!.v, g[c]!.v), d: union(g[b]!.d, g[c]!.d) };
          break;
        case Op.cmpwi:
          s.cr[a] = { v: cmpS(g[b]!.v, c), d: g[b]!.d };
          break;
        case Op.cmplw:
          s.cr[a] = { v: cmpU(g[b]!.v, g[c]!.v), d: union(g[b]!.d, g[c]!.d) };
          break;
        case Op.cmplwi:
          s.cr[a] = { v: cmpU(g[b]!.v, c), d: g[b]!.d };
          break;
        case Op.b:
          next = b;
          break;
        case Op.beq:
        case Op.bne:
        case Op.blt:
        case Op.bgt:
        case Op.ble:
        case Op.bge: {
          const f = s.cr[a]!;
          const taken =
            op === Op.beq
              ? (f.v & CR_EQ) !== 0
              : op === Op.bne
                ? (f.v & CR_EQ) === 0
                : op === Op.blt
                  ? (f.v & CR_LT) !== 0
                  : op === Op.bgt
                    ? (f.v & CR_GT) !== 0
                    : op === Op.ble
                      ? (f.v & CR_GT) === 0
                      : (f.v & CR_LT) === 0;
          for (const x of f.d) s.ctrl.add(x);
          if (taken) next = b;
          break;
        }
        case Op.lwz:
        case Op.lwzx: {
          const ad = op === Op.lwz ? base(b) : { v: base(b).v + g[c]!.v, d: union(base(b).d, g[c]!.d) };
          const addr = op === Op.lwz ? (ad.v + c) | 0 : ad.v | 0;
          const values = domain.get(addr);
          if (!values) throw new Error(`thread ${t}: load from address ${addr} outside the test`);
          const idx = s.events.length;
          for (let k = 0; k < values.length; k++) {
            const s2 = k === values.length - 1 ? s : clone(s);
            ev(s2, { kind: 'R', addr, val: values[k]!, addrDeps: ad.d, dataDeps: noDeps });
            s2.gpr[a] = { v: values[k]!, d: new Set([idx]) };
            s2.pc = next;
            if (s2 !== s) go(s2);
          }
          break;
        }
        case Op.stw:
        case Op.stwx: {
          const ad = op === Op.stw ? base(b) : { v: base(b).v + g[c]!.v, d: union(base(b).d, g[c]!.d) };
          const addr = op === Op.stw ? (ad.v + c) | 0 : ad.v | 0;
          ev(s, { kind: 'W', addr, val: g[a]!.v, addrDeps: ad.d, dataDeps: g[a]!.d });
          break;
        }
        case Op.sync:
        case Op.lwsync:
        case Op.isync: {
          const fence: Fence = op === Op.sync ? 'sync' : op === Op.lwsync ? 'lwsync' : 'isync';
          ev(s, { kind: 'F', fence, addr: 0, val: 0, addrDeps: noDeps, dataDeps: noDeps });
          if (fence === 'isync') for (const x of s.ctrl) s.ctrlIsync.add(x);
          break;
        }
        default:
          throw new Error(`ppc-cat oracle: opcode ${op} is out of its scope`);
      }
      s.pc = next;
    }
  };
  go(init);
  return out;
}

type Rel = Uint8Array[];

/** The allowed final states of a litmus image under herd7's ppc.cat, as `observe` vectors. */
export function ppcCatFinals(img: Image): number[][] {
  const nT = img.threads.length;
  // locations: every cell of the image but the null cell
  const locs: number[] = [];
  for (let a = 1; a < img.memory.size; a++) locs.push(a);
  const initVal = new Map<number, number>(locs.map((a) => [a, 0]));
  for (const [a, v] of img.memory.init) initVal.set(a, v);
  // read-value domains, grown to a fixpoint
  const domain = new Map<number, number[]>(locs.map((a) => [a, [initVal.get(a)!]]));
  let runs: ThreadRun[][] = [];
  for (let iter = 0; ; iter++) {
    runs = Array.from({ length: nT }, (_, t) => runThread(img, t, domain));
    let grew = false;
    for (const rs of runs)
      for (const r of rs)
        for (const e of r.events) {
          if (e.kind !== 'W') continue;
          const d = domain.get(e.addr);
          if (!d) throw new Error(`store to address ${e.addr} outside the test`);
          if (!d.includes(e.val)) {
            d.push(e.val);
            grew = true;
          }
        }
    if (!grew) break;
    if (iter > 8) throw new Error('value domains do not converge');
  }
  const finals = new Map<string, number[]>();
  const combo: ThreadRun[] = [];
  const pick = (t: number): void => {
    if (t === nT) {
      for (const f of checkCombination(img, combo, locs, initVal)) finals.set(f.join(','), f);
      return;
    }
    for (const r of runs[t]!) {
      combo[t] = r;
      pick(t + 1);
    }
  };
  pick(0);
  return [...finals.values()];
}

interface GEvent {
  thread: number;
  po: number;
  kind: 'R' | 'W';
  addr: number;
  val: number;
  init: boolean;
}

function checkCombination(
  img: Image,
  combo: ThreadRun[],
  locs: number[],
  initVal: Map<number, number>,
): number[][] {
  // global memory events: init writes first, then each thread's memory events
  const evs: GEvent[] = [];
  const local: number[][] = []; // local index -> global index (memory events only)
  for (const a of locs)
    evs.push({ thread: -1, po: -1, kind: 'W', addr: a, val: initVal.get(a)!, init: true });
  const fences: { thread: number; po: number; fence: Fence }[] = [];
  combo.forEach((r, t) => {
    local[t] = [];
    r.events.forEach((e, i) => {
      if (e.kind === 'F') {
        fences.push({ thread: t, po: i, fence: e.fence! });
        local[t]![i] = -1;
      } else {
        local[t]![i] = evs.length;
        evs.push({ thread: t, po: i, kind: e.kind, addr: e.addr, val: e.val, init: false });
      }
    });
  });
  const N = evs.length;
  const R = (i: number) => evs[i]!.kind === 'R';
  const W = (i: number) => evs[i]!.kind === 'W';
  const mk = (): Rel => Array.from({ length: N }, () => new Uint8Array(N));
  const from = (f: (i: number, j: number) => boolean): Rel => {
    const r = mk();
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) if (f(i, j)) r[i]![j] = 1;
    return r;
  };
  const un = (...xs: Rel[]): Rel => from((i, j) => xs.some((x) => x[i]![j] === 1));
  const inter = (x: Rel, f: (i: number, j: number) => boolean): Rel =>
    from((i, j) => x[i]![j] === 1 && f(i, j));
  const seq = (x: Rel, y: Rel): Rel => {
    const r = mk();
    for (let i = 0; i < N; i++)
      for (let k = 0; k < N; k++) if (x[i]![k]) for (let j = 0; j < N; j++) if (y[k]![j]) r[i]![j] = 1;
    return r;
  };
  const plus = (x: Rel): Rel => {
    const r = x.map((row) => row.slice());
    for (let k = 0; k < N; k++)
      for (let i = 0; i < N; i++) if (r[i]![k]) for (let j = 0; j < N; j++) if (r[k]![j]) r[i]![j] = 1;
    return r;
  };
  const star = (x: Rel): Rel => {
    const r = plus(x);
    for (let i = 0; i < N; i++) r[i]![i] = 1;
    return r;
  };
  const opt = (x: Rel): Rel => {
    const r = x.map((row) => row.slice());
    for (let i = 0; i < N; i++) r[i]![i] = 1;
    return r;
  };
  const acyclic = (x: Rel): boolean => {
    const p = plus(x);
    for (let i = 0; i < N; i++) if (p[i]![i]) return false;
    return true;
  };
  const irreflexive = (x: Rel): boolean => {
    for (let i = 0; i < N; i++) if (x[i]![i]) return false;
    return true;
  };
  const same = (i: number, j: number) => evs[i]!.thread === evs[j]!.thread && evs[i]!.thread >= 0;
  const ext = (i: number, j: number) => !same(i, j);
  const po = from((i, j) => same(i, j) && evs[i]!.po < evs[j]!.po);
  const poloc = inter(po, (i, j) => evs[i]!.addr === evs[j]!.addr);
  // dependencies (global indices)
  const depRel = (pickDeps: (e: LocalEvent) => Set<number>): Rel => {
    const r = mk();
    combo.forEach((run, t) => {
      run.events.forEach((e, i) => {
        const gj = local[t]![i]!;
        if (gj < 0) return;
        for (const d of pickDeps(e)) r[local[t]![d]!]![gj] = 1;
      });
    });
    return r;
  };
  const addr = depRel((e) => e.addrDeps);
  const data = depRel((e) => e.dataDeps);
  const ctrl = depRel((e) => e.ctrlDeps);
  const ctrlisync = depRel((e) => e.ctrlIsyncDeps);
  const fenceRel = (kind: Fence): Rel =>
    from((i, j) => {
      if (!same(i, j) || evs[i]!.po >= evs[j]!.po) return false;
      return fences.some(
        (f) => f.fence === kind && f.thread === evs[i]!.thread && f.po > evs[i]!.po && f.po < evs[j]!.po,
      );
    });
  const sync = fenceRel('sync');
  const lwsync = inter(fenceRel('lwsync'), (i, j) => !(W(i) && R(j)));
  const fence = un(sync, lwsync);
  const dd = un(addr, data);
  const addrpo = seq(addr, po);

  const reads = evs.map((_, i) => i).filter(R);
  const writesTo = (a: number) => evs.map((_, i) => i).filter((i) => W(i) && evs[i]!.addr === a);
  const rfChoices = reads.map((r) => writesTo(evs[r]!.addr).filter((w) => evs[w]!.val === evs[r]!.val));
  const perms = <T>(xs: T[]): T[][] =>
    xs.length <= 1
      ? [xs]
      : xs.flatMap((x, i) => perms([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
  const coChoices = locs.map((a) => {
    const ws = writesTo(a);
    const init = ws.filter((w) => evs[w]!.init);
    return perms(ws.filter((w) => !evs[w]!.init)).map((p) => [...init, ...p]);
  });
  const results: number[][] = [];
  const rfPick: number[] = [];
  const coPick: number[][] = [];
  const check = () => {
    const rf = mk();
    reads.forEach((r, k) => {
      rf[rfPick[k]!]![r] = 1;
    });
    const co = mk();
    for (const order of coPick)
      for (let x = 0; x < order.length; x++)
        for (let y = x + 1; y < order.length; y++) co[order[x]!]![order[y]!] = 1;
    const fr = seq(
      from((i, j) => rf[j]![i] === 1),
      co,
    );
    const rfe = inter(rf, ext);
    const rfi = inter(rf, same);
    const fre = inter(fr, ext);
    const coe = inter(co, ext);
    if (!acyclic(un(poloc, rf, fr, co))) return; // sc per location
    const rdw = inter(poloc, (i, j) => seq(fre, rfe)[i]![j] === 1);
    const detour = inter(poloc, (i, j) => seq(coe, rfe)[i]![j] === 1);
    const ii0 = un(dd, rfi, rdw);
    const ci0 = un(ctrlisync, detour);
    const cc0 = un(dd, poloc, ctrl, addrpo);
    let ii = mk();
    let ic = mk();
    let ci = mk();
    let cc = mk();
    const count = (x: Rel) => x.reduce((s, row) => s + row.reduce((u, v) => u + v, 0), 0);
    for (;;) {
      const before = count(ii) + count(ic) + count(ci) + count(cc);
      const ci2 = un(ci0, seq(ci, ii), seq(cc, ci));
      const ii2 = un(ii0, ci, seq(ic, ci), seq(ii, ii));
      const cc2 = un(cc0, ci, seq(ci, ic), seq(cc, cc));
      const ic2 = un(ii, cc, seq(ic, cc), seq(ii, ic));
      ci = ci2;
      ii = ii2;
      cc = cc2;
      ic = ic2;
      if (count(ii) + count(ic) + count(ci) + count(cc) === before) break;
    }
    const ppo = un(
      inter(ii, (i, j) => R(i) && R(j)),
      inter(ic, (i, j) => R(i) && W(j)),
    );
    const hb = un(ppo, fence, rfe);
    if (!acyclic(hb)) return; // thin air
    const hbstar = star(hb);
    const propbase = seq(un(fence, seq(rfe, fence)), hbstar);
    const chapo = un(rfe, fre, coe, seq(fre, rfe), seq(coe, rfe));
    const prop = un(
      inter(propbase, (i, j) => W(i) && W(j)),
      seq(seq(seq(opt(chapo), star(propbase)), sync), hbstar),
    );
    if (!acyclic(un(co, prop))) return; // propagation
    if (!irreflexive(seq(seq(fre, prop), hbstar))) return; // observation
    // final state
    const memFinal = new Map<number, number>();
    for (const order of coPick)
      if (order.length > 0)
        memFinal.set(evs[order[order.length - 1]!]!.addr, evs[order[order.length - 1]!]!.val);
    results.push(
      img.observe.map((o) => (o.kind === 'reg' ? combo[o.cpu]!.regs[o.reg]! : memFinal.get(o.addr)!)),
    );
  };
  const pickRf = (k: number): void => {
    if (k === reads.length) {
      pickCo(0);
      return;
    }
    for (const w of rfChoices[k]!) {
      rfPick[k] = w;
      pickRf(k + 1);
    }
  };
  const pickCo = (k: number): void => {
    if (k === locs.length) {
      check();
      return;
    }
    for (const o of coChoices[k]!) {
      coPick[k] = o;
      pickCo(k + 1);
    }
  };
  pickRf(0);
  return results;
}
