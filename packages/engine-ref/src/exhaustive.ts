/**
 * Exhaustive exploration (SEMANTICS.md section 5, bounds in 10.11): depth-first search over every
 * enabled action (and every `choose` value) with a visited-state table keyed by `stateKey`.
 * Stateful DFS as in explicit-state model checkers (SPIN, Holzmann 1997) but without partial-order
 * reduction: the counts must be exactly those of the plain search, because the WebAssembly engine
 * is checked against them.
 *
 * The search is iterative (an explicit stack of frames) so that deep paths cannot overflow the
 * JavaScript call stack.
 */
import {
  type ExploreProgress,
  type ExploreResult,
  type Image,
  type MemoryModel,
  OUTCOMES,
  type Outcome,
  type TrialDetail,
} from '@naplab/isa';
import {
  applyAction,
  classify,
  cloneMachine,
  createMachine,
  type Footprint,
  finalValues,
  type Machine,
  needsChoice,
  stateKey,
} from './machine.js';
import { exploredActions } from './reduce.js';

interface Frame {
  m: Machine;
  actions: number[];
  /** index into `actions` of the next child */
  next: number;
  /** next choose value for `actions[next]`, when it executes `choose` */
  value: number;
  depth: number;
  /** length of the path (schedule) that reached `m` */
  pathLen: number;
}

/** Report progress every 2^16 new states (ExploreOptions.onProgress). */
export const PROGRESS_MASK = (1 << 16) - 1;

const outcomeRank = (o: Outcome): number => OUTCOMES.indexOf(o);

function compareFinals(
  x: { outcome: Outcome; final: number[] },
  y: { outcome: Outcome; final: number[] },
): number {
  const d = outcomeRank(x.outcome) - outcomeRank(y.outcome);
  if (d !== 0) return d;
  const n = Math.min(x.final.length, y.final.length);
  for (let i = 0; i < n; i++) if (x.final[i] !== y.final[i]) return x.final[i]! - y.final[i]!;
  return x.final.length - y.final.length;
}

/**
 * Explore every reachable state of a (valid) image under `memory`; with `reduce`, the reduced
 * search of SEMANTICS.md section 17 (same terminals, fewer states).
 */
export function exploreMachine(
  image: Image,
  memory: MemoryModel,
  reduce = false,
  onProgress?: (p: ExploreProgress) => void,
  foot: Footprint | null = null,
): ExploreResult {
  const { maxStates, maxSteps } = image.limits;
  const visited = new Set<string>();
  const finals = new Map<string, { outcome: Outcome; final: number[] }>();
  let violation: ExploreResult['violation'];
  let states = 0;
  let transitions = 0;
  let maxDepth = 0;
  let cut = false;
  const path: number[] = [];
  const stack: Frame[] = [];

  const terminal = (m: Machine, outcome: Outcome, detail: TrialDetail): void => {
    const final = finalValues(m);
    const key = `${outcome}:${final.join(',')}`;
    if (!finals.has(key)) finals.set(key, { outcome, final });
    if (outcome !== 'ok' && violation === undefined)
      violation = { outcome, schedule: [...path], detail, final };
  };

  /** A state just entered for the first time, at `depth`, reached by `path`. */
  const enter = (m: Machine, depth: number): void => {
    states++;
    if (depth > maxDepth) maxDepth = depth;
    if (onProgress && (states & PROGRESS_MASK) === 0)
      onProgress({ phase: 'dfs', states, transitions, depth: maxDepth });
    const actions = m.failed ? [] : exploredActions(m, reduce);
    if (foot !== null && foot.escape >= 0) return;
    if (actions.length === 0) {
      const c = classify(m);
      terminal(m, c.outcome, c.detail);
      return;
    }
    if (depth >= maxSteps) {
      cut = true;
      terminal(m, 'limit', {});
      return;
    }
    stack.push({ m, actions, next: 0, value: 0, depth, pathLen: path.length });
  };

  const root = createMachine(image, memory, foot);
  visited.add(stateKey(root));
  enter(root, 0);

  while (stack.length > 0 && (foot === null || foot.escape < 0)) {
    const f = stack[stack.length - 1]!;
    if (f.next >= f.actions.length) {
      stack.pop();
      continue;
    }
    const action = f.actions[f.next]!;
    const n = needsChoice(f.m, action);
    const value = f.value;
    if (n > 0 && value + 1 < n) f.value++;
    else {
      f.next++;
      f.value = 0;
    }
    const child = cloneMachine(f.m);
    if (n > 0) applyAction(child, action, value);
    else applyAction(child, action);
    transitions++;
    if (foot !== null && foot.escape >= 0) break;
    const key = stateKey(child);
    if (visited.has(key)) continue;
    if (states >= maxStates) {
      cut = true;
      break;
    }
    visited.add(key);
    path.length = f.pathLen;
    path.push(action);
    if (n > 0) path.push(value);
    enter(child, f.depth + 1);
  }

  // an access outside the footprint (SEMANTICS.md 18): this search says nothing
  if (foot !== null && foot.escape >= 0) cut = true;
  const sorted = [...finals.values()].sort(compareFinals);
  const holds = !cut && sorted.every((x) => x.outcome === 'ok');
  const result: ExploreResult = { holds, states, transitions, maxDepth, cut, finals: sorted };
  if (violation) result.violation = violation;
  return result;
}
