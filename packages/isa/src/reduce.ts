/**
 * Partial-order reduction of the exhaustive search (SEMANTICS.md section 17): which instructions
 * a thread may run "on its own", ahead of every other action, without losing a terminal state.
 *
 * A step is **local** when it reads and writes only the stepping thread's own registers (`gpr`,
 * `cr`, `lr`, `ctr`, `srr0`, `srr1`, `lpcr`, `lpid`, `dec`, `ee`, `pc`) and the per-trial
 * statistics, which are not part of the explored state. Such a step commutes with every action of
 * every other thread, store-buffer drain, decrementer and event, and none of those can disable it
 * (SEMANTICS.md 17.2 gives the conditions on the thread). Both engines take this table from here
 * (the WebAssembly engine through `scripts/gen-opcodes.mjs`).
 */
import type { MemoryModel } from './engine-api.js';
import { OPCODES, Op, SPR } from './opcodes.js';

/** Local under `sc` and `tso`. */
export const LOCAL_ALWAYS = 1;
/** Local under `sc` only (`sync`: under `tso` it waits for the thread's store buffer to drain). */
export const LOCAL_SC_ONLY = 2;
/** `mtspr`: local unless it writes DEC (that arms or disarms the decrementer action). */
export const LOCAL_UNLESS_DEC = 3;

const SYSTEM_LOCAL = new Set(['wrteei', 'mtmsrd', 'mfmsr', 'rfid', 'mfspr']);
const SIM_LOCAL = new Set(['count', 'mark', 'work', 'choose']);

/**
 * The locality class of an opcode (0: never local). Register-only, compare and branch
 * instructions; `lwsync` and `isync` (no effect under sc and tso); `sync` (sc only); the MSR and
 * SPR moves; `count`, `mark`, `work`, `choose`. Never local: memory accesses, atomics, `nap`,
 * `msgsnd`/`ipi` (they set another thread's pending bits), `msgclr`/`eoi` (they clear the
 * thread's own pending bits, which events and doorbells set), `mftb` (it reads the step count),
 * `await`, `halt` and `lost` (events test the thread's status), `assert`.
 */
export function localClass(op: number): number {
  return Number.isInteger(op) && op >= 0 && op < CLASS.length ? CLASS[op]! : 0;
}

function classOf(op: number): number {
  const def = OPCODES.find((d) => d.op === op);
  if (def === undefined) return 0;
  if (def.cls === 'int' || def.cls === 'compare' || def.cls === 'branch') return LOCAL_ALWAYS;
  if (def.name === 'lwsync' || def.name === 'isync') return LOCAL_ALWAYS;
  if (def.name === 'sync') return LOCAL_SC_ONLY;
  if (def.name === 'mtspr') return LOCAL_UNLESS_DEC;
  if (def.cls === 'system' && SYSTEM_LOCAL.has(def.name)) return LOCAL_ALWAYS;
  if (def.cls === 'sim' && SIM_LOCAL.has(def.name)) return LOCAL_ALWAYS;
  return 0;
}

const CLASS = Int8Array.from({ length: Math.max(...OPCODES.map((d) => d.op)) + 1 }, (_, op) => classOf(op));

/** Is the instruction `op` with SPR field `spr` (mtspr's `b`) local under `memory`? */
export function isLocalInstr(op: number, spr: number, memory: MemoryModel): boolean {
  const c = localClass(op);
  if (c === LOCAL_ALWAYS) return true;
  if (c === LOCAL_SC_ONLY) return memory === 'sc';
  if (c === LOCAL_UNLESS_DEC) return spr !== SPR.DEC;
  return false;
}

/** What the reduction needs to know about an image once (SEMANTICS.md 17.1). */
export interface ReductionFacts {
  /** the reduction applies at all: `sc` or `tso`, and no `assert` or `mftb` in the code */
  applies: boolean;
  /** the code holds a `msgsnd` or an `ipi` (some thread may set another's pending bits) */
  sends: boolean;
}

/** The image-wide facts of SEMANTICS.md 17.1, from the code words `[op, a, b, c]...`. */
export function reductionFacts(code: ArrayLike<number>, memory: MemoryModel): ReductionFacts {
  let blocks = false;
  let sends = false;
  for (let i = 0; i < code.length; i += 4) {
    const op = code[i]!;
    // an assert can end the trial at once; mftb reads the step count, which every action changes
    if (op === Op['assert.eq'] || op === Op['assert.ne'] || op === Op.mftb) blocks = true;
    if (op === Op.msgsnd || op === Op.ipi) sends = true;
  }
  return { applies: memory !== 'power' && !blocks, sends };
}
