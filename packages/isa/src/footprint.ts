/**
 * The footprint abstraction of a `power` search (SEMANTICS.md section 18): which cells each thread
 * may read or write. A write to a cell outside a thread's footprint counts as having reached that
 * thread and is never propagated there, which removes the interleavings of propagations nobody can
 * observe. The abstraction has every terminal outcome of the plain model (other than `limit`) as
 * long as no thread accesses a cell outside its footprint, and every engine checks that on every
 * access: the first one outside stops the search (`ExploreResult.footprintEscape`).
 * `refineFootprint` starts from a given footprint (or none) and adds each escaping cell until a
 * search has no escape.
 */
import type {
  Engine,
  ExploreOptions,
  ExploreResult,
  FootprintEscape,
  FootprintEscapeReason,
} from './engine-api.js';
import type { Image } from './image.js';
import { INSTR_WORDS, Op, SPR } from './opcodes.js';

/** Per thread, the cells (addresses) it may access: the form of `ExploreOptions.footprint`. */
export type FootprintCells = readonly (readonly number[])[];

/**
 * Per thread, whether something can raise an interrupt there while it waits (SEMANTICS.md 18.2):
 * the code holds a `msgsnd` or `ipi` (any thread may be the target), an environment event
 * targets it, or the code writes DEC. Throws a RangeError for an image with `mftb`, which reads
 * the step count: the abstraction takes fewer steps than the model (SEMANTICS.md 18.3).
 */
export function footprintInterruptible(image: Image): boolean[] {
  let sends = false;
  let dec = false;
  for (let i = 0; i < image.code.length; i += INSTR_WORDS) {
    const op = image.code[i]!;
    if (op === Op.mftb)
      throw new RangeError(
        'the footprint abstraction is not defined for code with mftb: it reads the step count, and the abstraction takes fewer steps than the model (SEMANTICS.md 18.3)',
      );
    if (op === Op.msgsnd || op === Op.ipi) sends = true;
    if (op === Op.mtspr && image.code[i + 2] === SPR.DEC) dec = true;
  }
  return image.threads.map((_, t) => sends || dec || image.events.some((e) => e.cpu === t));
}

/**
 * The footprint as a bitmap of `threads * memory.size` bytes (1: thread `t` may access cell `a`,
 * at `t * size + a`), then one byte per thread: `footprintInterruptible`. Throws a RangeError
 * naming the first bad entry.
 */
export function footprintBitmap(image: Image, footprint: FootprintCells): Uint8Array {
  const n = image.threads.length;
  const size = image.memory.size;
  const interruptible = footprintInterruptible(image);
  if (!Array.isArray(footprint) || footprint.length !== n)
    throw new RangeError(`footprint: one list of cells per thread (${n}), got ${describe(footprint)}`);
  const bits = new Uint8Array(n * size + n);
  interruptible.forEach((x, t) => {
    bits[n * size + t] = x ? 1 : 0;
  });
  footprint.forEach((cells, t) => {
    if (!Array.isArray(cells))
      throw new RangeError(`footprint[${t}]: a list of cells, got ${describe(cells)}`);
    for (const a of cells) {
      if (!Number.isInteger(a) || a < 1 || a >= size)
        throw new RangeError(
          `footprint[${t}]: cell ${String(a)} is not an address of this image (1..${size - 1})`,
        );
      bits[t * size + a] = 1;
    }
  });
  return bits;
}

function describe(x: unknown): string {
  return Array.isArray(x) ? `${x.length} entries` : typeof x;
}

/** An engine's escape index (`thread * memory.size + cell`; `threads * size`: the table) as an escape. */
export function footprintEscapeAt(image: Image, at: number, reason: FootprintEscapeReason): FootprintEscape {
  const size = image.memory.size;
  if (reason === 'table') return { thread: -1, cell: -1, reason };
  if (reason === 'stall') return { thread: Math.floor(at / size), cell: -1, reason };
  return { thread: Math.floor(at / size), cell: at % size, reason };
}

/** One round of `refineFootprint`: the search and, if it stopped at one, the escape. */
export interface FootprintRound {
  round: number;
  states: number;
  transitions: number;
  escape?: FootprintEscape;
}

export interface RefinedFootprint {
  /** the last search: the one without an escape (unless `maxRounds` stopped the refinement) */
  result: ExploreResult;
  /** the footprint it ran with, each thread's cells ascending */
  footprint: number[][];
  /** every search run, the last included */
  rounds: FootprintRound[];
  /** `maxRounds` searches all stopped at an escape, or one at a `table` or `stall` escape (which
   *  no cell cures): `result` says nothing */
  exhausted: boolean;
}

/**
 * Search the footprint abstraction of `image` under `power`, growing the footprint (from
 * `start`, or every thread's empty list) by each cell a search finds accessed outside it, until a
 * search runs without an escape. Each round is a fresh search; there are at most
 * `threads * memory.size` rounds (every round adds one cell), or `maxRounds`.
 */
export function refineFootprint(
  engine: Engine,
  image: Image,
  opts: Omit<ExploreOptions, 'footprint' | 'memory'> & {
    start?: FootprintCells;
    maxRounds?: number;
    onRound?: (r: FootprintRound, footprint: number[][]) => void;
  },
): RefinedFootprint {
  const { start, maxRounds, onRound, ...explore } = opts;
  const n = image.threads.length;
  const sets = Array.from({ length: n }, (_, t) => new Set<number>(start?.[t] ?? []));
  const cells = (): number[][] => sets.map((s) => [...s].sort((a, b) => a - b));
  if (start) footprintBitmap(image, start);
  const rounds: FootprintRound[] = [];
  const limit = maxRounds ?? n * image.memory.size + 1;
  for (;;) {
    const footprint = cells();
    const result = engine.explore(image, { ...explore, memory: 'power', footprint });
    const round: FootprintRound = {
      round: rounds.length + 1,
      states: result.states,
      transitions: result.transitions,
    };
    if (result.footprintEscape) round.escape = result.footprintEscape;
    rounds.push(round);
    onRound?.(round, footprint);
    if (!result.footprintEscape) return { result, footprint, rounds, exhausted: false };
    if (rounds.length >= limit || result.footprintEscape.reason !== 'access')
      return { result, footprint, rounds, exhausted: true };
    sets[result.footprintEscape.thread]!.add(result.footprintEscape.cell);
  }
}
