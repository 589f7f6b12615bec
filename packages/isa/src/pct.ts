/**
 * PCT (probabilistic concurrency testing; Burckhardt, Kothari, Musuvathi, Nagarakatte, "A Randomized
 * Scheduler with Probabilistic Guarantees of Finding Bugs", ASPLOS 2010): the parts both engines
 * and the tools above them share. The scheduler itself is SEMANTICS.md section 14, implemented by
 * `@naplab/engine-ref` (`src/pct.ts`) and `@naplab/engine` (`assembly/pct.ts`).
 */

import type { MemoryModel } from './engine-api.js';
import type { Image } from './image.js';
import { INSTR_WORDS, opcodeByMnemonic, SPR } from './opcodes.js';

/** Largest depth accepted: d - 1 change points are drawn per trial, and k^(d-1) must stay finite. */
export const PCT_MAX_DEPTH = 16;
/** Largest step bound accepted (the engines count steps in 32-bit integers). */
export const PCT_MAX_K = 0x7fffffff;

/** Why a `{ kind: 'pct' }` spec is unusable, or null when it is fine. */
export function pctSpecProblem(depth: unknown, k: unknown): string | null {
  if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 1 || depth > PCT_MAX_DEPTH) {
    return `pct depth ${String(depth)} is not an integer in 1..${PCT_MAX_DEPTH}`;
  }
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > PCT_MAX_K) {
    return `pct step bound k ${String(k)} is not an integer in 1..${PCT_MAX_K}`;
  }
  return null;
}

/**
 * The number of priority holders PCT draws an order for: one per action id of SEMANTICS.md
 * section 2 (`3n + m`), every step, drain, decrementer and event its own agent.
 */
export function pctAgentSlots(image: Image): number {
  return 3 * image.threads.length + image.events.length;
}

/**
 * The agents that can ever act in a run of `image` under `memory` (section 14.4): the `n` threads;
 * the `n` store buffers under `tso`; the `n` decrementers when some instruction writes DEC; the
 * events with a budget. The others hold a priority too but never compete, so the guarantee counts
 * only these: `n` in `1/(n k^(d-1))`.
 */
export function pctAgents(image: Image, memory: MemoryModel): number {
  const n = image.threads.length;
  const OP_MTSPR = opcodeByMnemonic('mtspr')!.op;
  let armsDec = false;
  for (let i = 0; i + INSTR_WORDS <= image.code.length; i += INSTR_WORDS) {
    if (image.code[i] === OP_MTSPR && image.code[i + 2] === SPR.DEC) {
      armsDec = true;
      break;
    }
  }
  const events = image.events.filter((e) => e.count > 0).length;
  return n + (memory === 'tso' ? n : 0) + (armsDec ? n : 0) + events;
}

/**
 * PCT's per-trial lower bound on the probability of hitting a given bug of depth `depth`:
 * `1 / (agents * k^(depth - 1))` (the paper's guarantee), provided every trial takes at most `k`
 * steps. A trial that takes more weakens the bound: report how many did.
 */
export function pctGuarantee(agents: number, k: number, depth: number): number {
  return 1 / (agents * k ** (depth - 1));
}

/** The scheduler as written on the command line and in results files: `uniform`, `pct:3:1200`. */
export function schedulerLabel(s: { kind: string; depth?: number; k?: number }): string {
  if (s.kind === 'pct') return `pct:${s.depth}:${s.k}`;
  return s.kind;
}
