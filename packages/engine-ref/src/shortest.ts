/**
 * The shortest violation (SEMANTICS.md section 16): a breadth-first search over the same state
 * graph as the depth-first explorer (`exhaustive.ts`), stopping at the first violating terminal it
 * enters. Breadth-first order enters every state at depth d before any state at depth d + 1, so
 * the first violating terminal entered is at the least depth (number of actions) of any violating
 * terminal: the schedule that reaches it is a shortest counterexample.
 *
 * It runs only after the depth-first search has found a violation (the DFS counts stay the
 * contract); it keeps a visited-state table of its own, and the frontier of full machines for two
 * levels plus one (parent, action, value) record per entered state to rebuild the path.
 */
import type { ExploreProgress, Image, MemoryModel, Outcome, TrialDetail } from '@naplab/isa';
import { PROGRESS_MASK } from './exhaustive.js';
import {
  applyAction,
  classify,
  cloneMachine,
  createMachine,
  enabledActions,
  type Footprint,
  finalValues,
  type Machine,
  needsChoice,
  stateKey,
} from './machine.js';
import { exploredActions } from './reduce.js';

export interface ShortestResult {
  /** the shortest violation, or undefined when none was found within the bounds */
  violation?: { outcome: Outcome; schedule: number[]; detail: TrialDetail; final: number[]; steps: number };
  /** distinct states entered by the breadth-first search (including the start) */
  states: number;
  /** actions applied by the breadth-first search */
  transitions: number;
  /** `limits.maxStates` stopped the search before it found a violation */
  cut: boolean;
  /**
   * every state at depth < `depth` was expanded: a violation found has `depth` steps; without
   * one, no violation has fewer than `depth + 1` steps (a lower bound when the search was cut)
   */
  depth: number;
}

/** Is this terminal outcome a violation the shortest search looks for? (`limit` is not one.) */
export const isViolation = (o: Outcome): boolean => o !== 'ok' && o !== 'limit';

/**
 * Breadth-first search for a shortest violating schedule of a (valid) image under `memory`,
 * within `image.limits` (a state at depth `maxSteps` is not expanded; at most `maxStates` states,
 * or `maxStatesOverride` when given: ExploreOptions.shortestMaxStates).
 * Children in section 2 order, `choose` values ascending: the same order as the depth-first
 * search, so both engines return the same schedule (SEMANTICS.md 16.2).
 */
export function shortestViolation(
  image: Image,
  memory: MemoryModel,
  reduce = false,
  onProgress?: (p: ExploreProgress) => void,
  maxStatesOverride?: number,
  foot: Footprint | null = null,
): ShortestResult {
  const { maxSteps } = image.limits;
  const maxStates =
    maxStatesOverride !== undefined && maxStatesOverride > 0 ? maxStatesOverride : image.limits.maxStates;
  const visited = new Set<string>();
  // per entered state: parent index, action, choose value (-1: none)
  const parent: number[] = [];
  const act: number[] = [];
  const val: number[] = [];
  let states = 0;
  let transitions = 0;

  const pathTo = (node: number): number[] => {
    const rev: number[] = [];
    for (let i = node; i > 0; i = parent[i]!) {
      if (val[i]! >= 0) rev.push(val[i]!);
      rev.push(act[i]!);
    }
    return rev.reverse();
  };

  /** Enter a new state; returns true when it is a violating terminal. */
  const found = (m: Machine, depth: number): ShortestResult['violation'] => {
    const actions = m.failed ? [] : enabledActions(m);
    if (actions.length > 0 || (foot && foot.escape >= 0)) return undefined;
    const c = classify(m);
    if (!isViolation(c.outcome)) return undefined;
    return { outcome: c.outcome, schedule: [], detail: c.detail, final: finalValues(m), steps: depth };
  };

  const root = createMachine(image, memory, foot);
  visited.add(stateKey(root));
  parent.push(-1);
  act.push(-1);
  val.push(-1);
  states = 1;
  const v0 = found(root, 0);
  if (v0) return { violation: { ...v0, schedule: [] }, states, transitions, cut: false, depth: 0 };

  let frontier: { m: Machine; node: number }[] = [{ m: root, node: 0 }];
  let depth = 0;
  for (; depth < maxSteps && frontier.length > 0; depth++) {
    const next: { m: Machine; node: number }[] = [];
    for (const { m, node } of frontier) {
      if (m.failed) continue;
      const actions = exploredActions(m, reduce);
      if (foot && foot.escape >= 0) return { states, transitions, cut: true, depth };
      for (const action of actions) {
        const n = needsChoice(m, action);
        for (let value = 0; value < Math.max(n, 1); value++) {
          const child = cloneMachine(m);
          if (n > 0) applyAction(child, action, value);
          else applyAction(child, action);
          transitions++;
          // an access outside the footprint (SEMANTICS.md 18): the pass stops, says nothing
          if (foot && foot.escape >= 0) return { states, transitions, cut: true, depth };
          const key = stateKey(child);
          if (visited.has(key)) continue;
          if (states >= maxStates) return { states, transitions, cut: true, depth };
          visited.add(key);
          parent.push(node);
          act.push(action);
          val.push(n > 0 ? value : -1);
          states++;
          if (onProgress && (states & PROGRESS_MASK) === 0)
            onProgress({ phase: 'bfs', states, transitions, depth: depth + 1 });
          const v = found(child, depth + 1);
          if (v)
            return {
              violation: { ...v, schedule: pathTo(states - 1) },
              states,
              transitions,
              cut: false,
              depth: depth + 1,
            };
          next.push({ m: child, node: states - 1 });
        }
      }
    }
    frontier = next;
  }
  return { states, transitions, cut: false, depth };
}
