/**
 * Half-open trial ranges `[from, to)`. Completed work is kept as a sorted, coalesced list, so a
 * results file stays small however many batches it took.
 */
export type Range = [from: number, to: number];

/** Sort, drop empty ranges, and join overlapping or touching ones. */
export function coalesce(ranges: readonly Range[]): Range[] {
  const sorted = ranges.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const out: Range[] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** Total number of trials in a list of ranges (assumed disjoint). */
export function rangesSize(ranges: readonly Range[]): number {
  let n = 0;
  for (const [a, b] of ranges) n += b - a;
  return n;
}

/** The parts of `range` not covered by `done`. */
export function missingRanges(range: Range, done: readonly Range[]): Range[] {
  const out: Range[] = [];
  let at = range[0];
  for (const [a, b] of coalesce(done)) {
    if (b <= at) continue;
    if (a >= range[1]) break;
    if (a > at) out.push([at, a]);
    at = Math.max(at, b);
  }
  if (at < range[1]) out.push([at, range[1]]);
  return out;
}

/** The first pair of overlapping ranges (by start), or undefined. Touching ranges do not overlap. */
export function findOverlap<T extends { range: Range }>(items: readonly T[]): [T, T] | undefined {
  const sorted = items.filter((x) => x.range[1] > x.range[0]).sort((x, y) => x.range[0] - y.range[0]);
  let reach: T | undefined;
  for (const x of sorted) {
    if (reach && x.range[0] < reach.range[1]) return [reach, x];
    if (!reach || x.range[1] > reach.range[1]) reach = x;
  }
  return undefined;
}

/** Split ranges into batches of at most `size` trials, in index order. */
export function* batches(ranges: readonly Range[], size: number): Generator<Range> {
  for (const [a, b] of ranges) for (let x = a; x < b; x += size) yield [x, Math.min(b, x + size)];
}
