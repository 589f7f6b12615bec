/**
 * The memory-ordering pattern behind a violation, as a PPC litmus test (herd7 syntax, like the
 * files in `litmus/`), so that the cause can be checked with an independent tool.
 *
 * What is looked for is the store-buffering (SB) shape of PROTOCOL.md section 5: two cpus T and U
 * and two cells x != y with, in the trace,
 *   T: store x = a  ...  load y -> b'      (program order)
 *   U: store y = b  ...  load x -> a'      (program order)
 * where each load returned a value other than the one the other cpu stored, and that store became
 * visible to the loading cpu only after the load (a drain of the store buffer under tso, the
 * propagation to that cpu under power; at once under sc, which is why sc traces never show the
 * pattern). Both loads then read "from before" the other's store, with each store before its own
 * load in program order: the cycle sequential consistency forbids (SB). Loads include `await`
 * conditions that passed (they read the cell). A `sync` (or `lwsync`) executed by a cpu between
 * its store and its load is kept in the
 * test. When several such pairs exist, the one whose loads come last (closest to the failure)
 * is taken.
 */
import { printInstruction } from '@naplab/asm';
import type { TraceEvent } from '@naplab/engine-ref';
import type { Image, MemoryModel } from '@naplab/isa';

interface Access {
  index: number;
  cpu: number;
  addr: number;
  value: number;
}

export interface SbSide {
  cpu: number;
  /** the cell stored, the value stored */
  store: { addr: number; value: number; step: number };
  /** the barrier executed between the store and the load, if any */
  barrier: 'sync' | 'lwsync' | null;
  /** the cell loaded, the value read */
  load: { addr: number; value: number; step: number };
}

export interface SbPattern {
  sides: [SbSide, SbSide];
}

/** Find the store-buffering pattern behind a trace, or undefined (see the module comment). */
export function findStoreBuffering(
  image: Image,
  events: readonly TraceEvent[],
  memory: MemoryModel,
): SbPattern | undefined {
  const stores: Access[] = [];
  const loads: Access[] = [];
  events.forEach((e, index) => {
    const f = e.effect;
    if (e.action < 0) return;
    if (f.kind === 'store') stores.push({ index, cpu: e.cpu, addr: f.addr, value: f.value });
    else if (f.kind === 'stwcx' && f.success)
      stores.push({ index, cpu: e.cpu, addr: f.addr, value: f.value });
    else if (f.kind === 'load' || f.kind === 'await-passed')
      loads.push({ index, cpu: e.cpu, addr: f.addr, value: f.value });
  });
  // the last store by `cpu` to `addr` before event `before`
  const lastStore = (cpu: number, addr: number, before: number): Access | undefined => {
    let best: Access | undefined;
    for (const s of stores) if (s.cpu === cpu && s.addr === addr && s.index < before) best = s;
    return best;
  };
  // the index of the event that makes store `s` visible to cpu `u` (Infinity: never in the trace)
  const visibleTo = (s: Access, u: number): number => {
    const e0 = events[s.index]!.effect;
    if (e0.kind === 'stwcx' || (e0.kind === 'store' && !e0.buffered)) return s.index;
    for (let i = s.index + 1; i < events.length; i++) {
      const e = events[i]!;
      const f = e.effect;
      if (f.kind !== 'drain' || f.addr !== s.addr || f.value !== s.value) continue;
      if (memory === 'power' ? e.cpu === u : e.cpu === s.cpu) return i;
    }
    return Number.POSITIVE_INFINITY;
  };
  let found: { t: [Access, Access]; u: [Access, Access]; score: number } | undefined;
  for (const l1 of loads) {
    // T = l1.cpu loads y; its store to x (another cell) before that load
    for (const s1 of stores) {
      if (s1.cpu !== l1.cpu || s1.index >= l1.index || s1.addr === l1.addr) continue;
      // it must be T's last store to x before the load (the one the pattern is about)
      if (lastStore(s1.cpu, s1.addr, l1.index) !== s1) continue;
      for (const l2 of loads) {
        if (l2.cpu === l1.cpu || l2.addr !== s1.addr) continue;
        if (l2.value === s1.value || visibleTo(s1, l2.cpu) < l2.index) continue;
        const s2 = lastStore(l2.cpu, l1.addr, l2.index);
        if (!s2 || l1.value === s2.value || visibleTo(s2, l1.cpu) < l1.index) continue;
        const score = Math.min(l1.index, l2.index);
        if (!found || score > found.score) found = { t: [s1, l1], u: [s2, l2], score };
      }
    }
  }
  if (!found) return undefined;
  const side = ([s, l]: [Access, Access]): SbSide => {
    let barrier: SbSide['barrier'] = null;
    for (let i = s.index + 1; i < l.index; i++) {
      const e = events[i]!;
      if (e.cpu !== s.cpu || !e.instr || e.action < 0) continue;
      if (e.effect.kind === 'sync') barrier = 'sync';
      else if (barrier === null && /^lwsync\b/.test(printInstruction(image, e.pc))) barrier = 'lwsync';
    }
    return {
      cpu: s.cpu,
      store: { addr: s.addr, value: s.value, step: events[s.index]!.step },
      barrier,
      load: { addr: l.addr, value: l.value, step: events[l.index]!.step },
    };
  };
  const a = side(found.t);
  const b = side(found.u);
  return { sides: a.cpu < b.cpu ? [a, b] : [b, a] };
}

/** A herd7 location name for a cell: its symbol, made an identifier (`HSTATE_HWTHREAD_REQ_cpu2`). */
function locName(image: Image, addr: number): string {
  const s = [...image.memory.symbols]
    .sort((x, y) => x.size - y.size)
    .find((x) => addr >= x.addr && addr < x.addr + x.size);
  const raw = s ? (s.size === 1 ? s.name : `${s.name}_${addr - s.addr}`) : `cell${addr}`;
  const id = raw.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(id) ? id : `x_${id}`;
}

export interface LitmusExport {
  /** the test's name, e.g. `SB+po+sync` (herd7's naming: P0's edge, then P1's) */
  name: string;
  text: string;
  /** what the test's threads and locations stand for */
  legend: string[];
}

/**
 * The pattern as a PPC litmus test: P0 and P1 are the two cpus (lower cpu number first), the
 * cells start with the values the loads read, each thread stores its value and loads the other
 * cell, and the condition asks for both stale reads.
 */
export function storeBufferingLitmus(
  image: Image,
  p: SbPattern,
  opts: { origin: string; cpuName?: (cpu: number) => string },
): LitmusExport {
  const [s0, s1] = p.sides;
  const x = locName(image, s0.store.addr);
  const y = locName(image, s1.store.addr);
  const edge = (s: SbSide) => (s.barrier === 'sync' ? 'sync' : s.barrier === 'lwsync' ? 'lwsync' : 'po');
  const name = `SB+${edge(s0)}+${edge(s1)}`;
  const who = opts.cpuName ?? ((c: number) => `cpu${c}`);
  const code = (s: SbSide): string[] => [
    `li r1,${s.store.value}`,
    'stw r1,0(r2)',
    ...(s.barrier ? [s.barrier] : []),
    'lwz r3,0(r4)',
  ];
  const c0 = code(s0);
  const c1 = code(s1);
  const rows = Math.max(c0.length, c1.length);
  const w0 = Math.max(2, ...c0.map((l) => l.length));
  const w1 = Math.max(2, ...c1.map((l) => l.length));
  const lines = [
    `PPC ${name}`,
    `"${opts.origin.replace(/"/g, "'")}"`,
    '{',
    `${x}=${s1.load.value}; ${y}=${s0.load.value};`,
    `0:r2=${x}; 0:r4=${y};`,
    `1:r2=${y}; 1:r4=${x};`,
    '}',
    ` ${'P0'.padEnd(w0)} | ${'P1'.padEnd(w1)} ;`,
  ];
  for (let i = 0; i < rows; i++) lines.push(` ${(c0[i] ?? '').padEnd(w0)} | ${(c1[i] ?? '').padEnd(w1)} ;`);
  lines.push('exists');
  lines.push(`(0:r3=${s0.load.value} /\\ 1:r3=${s1.load.value})`);
  const legend = [
    `P0 = ${who(s0.cpu)}: stores ${x} = ${s0.store.value} (step ${s0.store.step}), ${s0.barrier ?? 'no barrier'}, loads ${y} -> ${s0.load.value} (step ${s0.load.step})`,
    `P1 = ${who(s1.cpu)}: stores ${y} = ${s1.store.value} (step ${s1.store.step}), ${s1.barrier ?? 'no barrier'}, loads ${x} -> ${s1.load.value} (step ${s1.load.step})`,
  ];
  return { name, text: `${lines.join('\n')}\n`, legend };
}
