// Progress of the long searches: every PROGRESS_EVERY new states, the depth-first search and the
// breadth-first shortest pass call the host (env.progress), which may print it. The call never
// changes what the search does.

// @ts-ignore: decorator
@external("env", "progress")
declare function hostProgress(phase: i32, states: f64, transitions: f64, depth: i32): void;

/** A power of two minus one: report when (states & PROGRESS_MASK) == 0. */
// @ts-ignore: decorator
@inline export const PROGRESS_MASK: i64 = (1 << 20) - 1;
// @ts-ignore: decorator
@inline export const PHASE_DFS: i32 = 0;
// @ts-ignore: decorator
@inline export const PHASE_BFS: i32 = 1;

/** Report to the host when `states` is a multiple of 2^20. */
// @ts-ignore: decorator
@inline export function progress(phase: i32, states: i64, transitions: i64, depth: i32): void {
  if ((states & PROGRESS_MASK) == 0) hostProgress(phase, <f64>states, <f64>transitions, depth);
}
