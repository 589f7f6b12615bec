/**
 * A violation of the footprint abstraction (SEMANTICS.md 18) made into one of the power model
 * itself, when it is one: the abstraction's schedule is followed in the plain machine, each
 * propagation and coherence commitment mapped to the same event there (events are followed by
 * identity: the k-th event each thread accepted), and the propagations the abstraction leaves out
 * (a write to a thread outside the cell's footprint) inserted as soon as they can be, in an order
 * that agrees with the abstraction's coherence order. The result is a schedule of the plain
 * machine; the caller replays it (the replay is the proof), so a failure here only means that this
 * way of following the abstraction did not lead to a violation of the model.
 */
import { type FootprintCells, footprintBitmap, type Image } from '@naplab/isa';
import {
  applyAction,
  classify,
  cloneMachine,
  createMachine,
  enabledActions,
  type Footprint,
  type Machine,
  needsChoice,
  stateKey,
} from './machine.js';
import { EV_WRITE, POWER_EVENTS, POWER_WINDOW, powerActionBase, powerHeldAck } from './power.js';
import { isViolation } from './shortest.js';

export type Concretized = { schedule: number[] } | { failed: string };

/** The first propagate id and the first cohere id of `m`. */
function ranges(m: Machine): { prop: number; cohere: number; end: number } {
  const prop = powerActionBase(m) + m.n * POWER_WINDOW + 2 * m.n;
  const cohere = prop + POWER_EVENTS * m.n;
  return { prop, cohere, end: cohere + POWER_EVENTS * POWER_EVENTS };
}

/** The index of the live event with this tag, or -1 when none is live. */
function indexOf(m: Machine, tag: number): number {
  const cnt = m.P[m.L.evCount]!;
  for (let e = 0; e < cnt; e++) if (m.evTag[e] === tag) return e;
  return -1;
}

/**
 * Follow `schedule` (a schedule of the abstraction with footprint `footprint`, ending in a
 * violation) in the power model. Returns the model's schedule, or why it could not.
 */
export function concretizeFootprint(
  image: Image,
  footprint: FootprintCells,
  schedule: readonly number[],
  maxNodes = 100_000,
): Concretized {
  const size = image.memory.size;
  const bits = footprintBitmap(image, footprint);
  const cells = bits.subarray(0, image.threads.length * size);
  const foot: Footprint = { cells, interruptible: bits.subarray(cells.length), escape: -1, reason: 'access' };
  const outside = (u: number, a: number): boolean => cells[u * size + a] === 0;

  // 1. the abstraction's run: every pair of same-cell writes it orders (tags, earlier first)
  const before = new Set<string>();
  const noteOrders = (m: Machine): void => {
    const L = m.L;
    const cnt = m.P[L.evCount]!;
    for (let x = 0; x < cnt; x++) {
      if (m.P[L.evKind + x] !== EV_WRITE) continue;
      const succ = m.P[L.evCoSucc + x]!;
      for (let y = 0; y < cnt; y++) if ((succ >>> y) & 1) before.add(`${m.evTag[x]}<${m.evTag[y]}`);
    }
  };
  const a = createMachine(image, 'power', foot);
  // the action ids depend only on the image: the same in both machines
  const r = ranges(a);
  // heldAck: a `step t` that only acknowledged t's sync (SEMANTICS.md 18.2); the model does that
  // by itself once the propagations it waits for are done
  const steps: { action: number; value?: number; tags?: number[]; heldAck?: boolean }[] = [];
  noteOrders(a);
  for (let i = 0; i < schedule.length && foot.escape < 0; i++) {
    const action = schedule[i]!;
    const n = needsChoice(a, action);
    let tags: number[] | undefined;
    if (action >= r.prop && action < r.cohere) {
      const x = action - r.prop;
      tags = [a.evTag[Math.floor(x / a.n)]!, x % a.n];
    } else if (action >= r.cohere && action < r.end) {
      const x = action - r.cohere;
      tags = [a.evTag[Math.floor(x / POWER_EVENTS)]!, a.evTag[x % POWER_EVENTS]!];
    }
    const heldAck = action < a.n && powerHeldAck(a, action);
    if (!enabledActions(a).includes(action))
      return {
        failed: `the schedule is not one of the abstraction: action ${action} (decision ${i + 1}) is not enabled`,
      };
    if (n > 0) {
      const value = schedule[++i]!;
      applyAction(a, action, value);
      steps.push({ action, value });
    } else {
      applyAction(a, action);
      steps.push(tags ? { action, tags } : heldAck ? { action, heldAck } : { action });
    }
    noteOrders(a);
  }
  if (foot.escape >= 0) return { failed: 'the schedule leaves the footprint' };
  if (enabledActions(a).length > 0 || !isViolation(classify(a).outcome))
    return { failed: 'the schedule does not end in a violation of the abstraction' };

  // 2. the model's run: a depth-first search over where to put the left-out propagations, each
  // step of the abstraction taken as soon as it is enabled; the first child is always the greedy
  // choice (catch up every propagation the abstraction's coherence allows, then take the step)
  const mapStep = (m: Machine, s: (typeof steps)[number]): number | undefined => {
    if (!s.tags) return s.action;
    if (s.action < r.cohere) {
      const w = indexOf(m, s.tags[0]!);
      return w < 0 ? undefined : r.prop + w * m.n + s.tags[1]!;
    }
    const w1 = indexOf(m, s.tags[0]!);
    const w2 = indexOf(m, s.tags[1]!);
    return w1 < 0 || w2 < 0 ? undefined : r.cohere + w1 * POWER_EVENTS + w2;
  };
  /** The propagations the abstraction leaves out, enabled in m: those its coherence allows first. */
  const leftOut = (m: Machine, enabled: number[]): { safe: number[]; other: number[] } => {
    const L = m.L;
    const cnt = m.P[L.evCount]!;
    const safe: number[] = [];
    const other: number[] = [];
    for (const id of enabled) {
      if (id < r.prop || id >= r.cohere) continue;
      const x = id - r.prop;
      const w = Math.floor(x / m.n);
      const u = x % m.n;
      const addr = m.P[L.evAddr + w]!;
      if (!outside(u, addr)) continue;
      // the write it supersedes at u becomes coherence-before it, and a write the abstraction
      // orders before it must not reach u after it
      const v = m.P[L.view + u * size + addr]!;
      let ok = !(v >= 0 && before.has(`${m.evTag[w]}<${m.evTag[v]}`));
      for (let y = 0; y < cnt && ok; y++) {
        if (y === w || m.P[L.evKind + y] !== EV_WRITE || m.P[L.evAddr + y] !== addr) continue;
        const coveredAtU = v === y || (v >= 0 && ((m.P[L.evCoSucc + y]! >>> v) & 1) === 1);
        if (before.has(`${m.evTag[y]}<${m.evTag[w]}`) && !coveredAtU) ok = false;
      }
      (ok ? safe : other).push(id);
    }
    return { safe, other };
  };
  interface Node {
    m: Machine;
    i: number;
    /** [action, choose value or -1, steps consumed after it] */
    children: [number, number, number][];
    next: number;
    pathLen: number;
  }
  const visited = new Set<string>();
  const path: number[] = [];
  let reason = 'no way to follow it was found';
  const expand = (m: Machine, i: number, pathLen: number): Node | undefined => {
    const key = `${i}|${stateKey(m)}`;
    if (visited.has(key)) return undefined;
    visited.add(key);
    const enabled = enabledActions(m);
    const { safe, other } = leftOut(m, enabled);
    const children: [number, number, number][] = safe.map((id) => [id, -1, i]);
    if (i < steps.length) {
      const s = steps[i]!;
      const id = mapStep(m, s);
      // a held acknowledgement: consumed (no action) once the model has acknowledged t itself
      if (s.heldAck) {
        if (m.P[m.L.syncPend + s.action] === 0) children.push([-1, -1, i + 1]);
      } else if (id !== undefined && enabled.includes(id)) children.push([id, s.value ?? -1, i + 1]);
      else if (safe.length === 0 && other.length === 0)
        reason = `step ${i + 1} of the abstraction's schedule (action ${s.action}) never becomes enabled in the model`;
    }
    for (const id of other) children.push([id, -1, i]);
    return { m, i, children, next: 0, pathLen };
  };
  const stack: Node[] = [];
  const root = expand(createMachine(image, 'power'), 0, 0);
  if (root) stack.push(root);
  while (stack.length > 0) {
    if (visited.size > maxNodes) return { failed: `${reason} (gave up after ${maxNodes} states)` };
    const f = stack[stack.length - 1]!;
    if (f.i === steps.length && f.children.length === 0) {
      // the abstraction's schedule is consumed and nothing is left to propagate
      path.length = f.pathLen;
      if (enabledActions(f.m).length === 0) {
        const c = classify(f.m);
        if (isViolation(c.outcome)) return { schedule: [...path] };
        reason = `the model's run ends ${c.outcome}`;
      } else reason = 'the model has actions left where the abstraction ended';
    }
    if (f.next >= f.children.length) {
      stack.pop();
      continue;
    }
    const [id, value, i] = f.children[f.next++]!;
    const child = cloneMachine(f.m);
    path.length = f.pathLen;
    if (id < 0) {
      // nothing to do in the model
    } else if (value >= 0) {
      applyAction(child, id, value);
      path.push(id, value);
    } else {
      applyAction(child, id);
      path.push(id);
    }
    const node = expand(child, i, path.length);
    if (node) stack.push(node);
  }
  return { failed: reason };
}
