/**
 * `--scheduler uniform | pct:D | pct:D:K | timed` (SEMANTICS.md sections 5, 14 and 15): parsing,
 * the refusals (NAP035-NAP038, NAP040, NAP046; timed's own options are in timed.ts), and resolving `pct:D` to `pct:D:K` once per command, from a uniform pilot when
 * K is not given, so every shard, worker and resumed session runs the same scheduler.
 */
import {
  type Image,
  type MemoryModel,
  PCT_MAX_DEPTH,
  PCT_MAX_K,
  pctAgents,
  pctGuarantee,
  type SchedulerSpec,
  schedulerLabel,
} from '@naplab/isa';
import { estimatePctK, PCT_PILOT_TRIALS } from '@naplab/runner';
import type { OptSpec } from './args.js';
import { loadEngine } from './engines.js';
import { CliError, didYouMean } from './errors.js';

export const SCHEDULER_OPT: OptSpec = {
  name: 'scheduler',
  type: 'string',
  arg: 'S',
  default: 'uniform',
  desc: `uniform, or pct:D (PCT of depth D = 1..${PCT_MAX_DEPTH}; k from a uniform pilot) or pct:D:K`,
};

/** `--scheduler` of commands that also run `timed` (simulated time, SEMANTICS.md section 15). */
export const SCHEDULER_OPT_TIMED: OptSpec = {
  ...SCHEDULER_OPT,
  desc: `${SCHEDULER_OPT.desc}, or timed (simulated time: cycles from a cost model, SEMANTICS.md section 15)`,
};

/** A parsed `--scheduler`: PCT's `k` is absent until resolved. */
export type SchedulerChoice =
  | { kind: 'uniform' }
  | { kind: 'pct'; depth: number; k?: number }
  | { kind: 'timed' };

/** `timed`: the command runs the timed scheduler too (only `compare` does). */
export function parseSchedulerOpt(
  text: string | undefined,
  memory: MemoryModel,
  opts: { timed?: boolean; command?: string } = {},
): SchedulerChoice {
  const t = (text ?? 'uniform').trim();
  if (t === 'uniform') return { kind: 'uniform' };
  if (t === 'timed') {
    if (!opts.timed)
      throw new CliError(
        'NAP040',
        `'--scheduler timed' is not a scheduler 'naplab ${opts.command ?? 'this command'}' runs`,
        "simulated time runs in 'naplab compare --scheduler timed'; here: uniform, pct:D or pct:D:K",
      );
    if (memory === 'power')
      throw new CliError(
        'NAP046',
        "'--scheduler timed' runs the sc and tso memory models, not power",
        "add '--memory sc' or '--memory tso'",
      );
    return { kind: 'timed' };
  }
  const m = /^pct:([^:]*)(?::([^:]*))?$/.exec(t);
  if (!m) {
    const names = opts.timed ? ['uniform', 'pct', 'timed'] : ['uniform', 'pct'];
    const near = didYouMean(t.split(':')[0]!, names);
    throw new CliError(
      'NAP035',
      `'--scheduler ${t}' is not a scheduler: expected uniform, pct:D or pct:D:K${opts.timed ? ', or timed' : ''}`,
      near === 'pct' || t.startsWith('pct')
        ? "write the depth after a colon, e.g. '--scheduler pct:2' or '--scheduler pct:3:1200'"
        : near
          ? `did you mean '${near}'? (or pct:D, e.g. pct:2)`
          : "e.g. '--scheduler uniform' or '--scheduler pct:2'",
    );
  }
  const depth = /^\d+$/.test(m[1]!) ? Number(m[1]) : Number.NaN;
  if (!(depth >= 1 && depth <= PCT_MAX_DEPTH)) {
    throw new CliError(
      'NAP036',
      `'--scheduler ${t}': the depth must be an integer from 1 to ${PCT_MAX_DEPTH}, found '${m[1]}'`,
      'depth d finds bugs that need d ordering constraints; start with pct:2 or pct:3',
    );
  }
  let k: number | undefined;
  if (m[2] !== undefined) {
    k = /^\d+$/.test(m[2]) ? Number(m[2]) : Number.NaN;
    if (!(k >= 1 && k <= PCT_MAX_K)) {
      throw new CliError(
        'NAP037',
        `'--scheduler ${t}': the step bound k must be an integer from 1 to ${PCT_MAX_K}, found '${m[2]}'`,
        `k bounds the steps of a trial; leave it out (pct:${depth}) to estimate it from ${PCT_PILOT_TRIALS} uniform trials`,
      );
    }
  }
  if (memory === 'power') {
    throw new CliError(
      'NAP038',
      `'--scheduler ${t}' with '--memory power': PCT is defined for the sc and tso memory models`,
      "use '--memory tso' (or sc) with pct, or the uniform scheduler with power",
    );
  }
  return { kind: 'pct', depth, k };
}

/** What a report says about a PCT run. */
export interface PctInfo {
  depth: number;
  k: number;
  /** `n` of the guarantee: the agents that can act (SEMANTICS.md 14.4) */
  agents: number;
  /** `1 / (n k^(d-1))` */
  guarantee: number;
  /** `given` on the command line, or `pilot`: max steps of uniform trials [0, trials) of `seed` */
  kFrom: 'given' | 'pilot';
  pilot?: { trials: number; seed: number };
}

export interface ResolvedScheduler {
  spec: SchedulerSpec;
  /** `uniform` or `pct:D:K`: what printed commands and results carry */
  label: string;
  pct?: PctInfo;
}

/**
 * `pct:D` -> `pct:D:K` with K the largest pilot estimate over `images` (one K for all variants of
 * a comparison, so their PCT rates are comparable with each other); `n` is the largest agent count.
 */
export async function resolveScheduler(
  choice: SchedulerChoice,
  ctx: { engine: string; images: Image[]; memory: MemoryModel; seed: number },
): Promise<ResolvedScheduler> {
  // timed runs take their specs (one per sync cost) from timed.ts's plan
  if (choice.kind === 'uniform' || choice.kind === 'timed')
    return { spec: { kind: 'uniform' }, label: 'uniform' };
  let k = choice.k;
  const kFrom = k === undefined ? 'pilot' : 'given';
  if (k === undefined) {
    const engine = await loadEngine(ctx.engine);
    k = 1;
    for (const image of ctx.images) k = Math.max(k, estimatePctK(engine, image, ctx.memory, ctx.seed).k);
  }
  const agents = Math.max(...ctx.images.map((img) => pctAgents(img, ctx.memory)));
  const spec: SchedulerSpec = { kind: 'pct', depth: choice.depth, k };
  return {
    spec,
    label: schedulerLabel(spec),
    pct: {
      depth: choice.depth,
      k,
      agents,
      guarantee: pctGuarantee(agents, k, choice.depth),
      kFrom,
      ...(kFrom === 'pilot' ? { pilot: { trials: PCT_PILOT_TRIALS, seed: ctx.seed } } : {}),
    },
  };
}

/** `1/(29·1194) = 2.9e-5 per trial, for a bug of depth 2 showing within k = 1194 steps`. */
export function guaranteeText(p: PctInfo): string {
  const denom = p.depth === 1 ? `${p.agents}` : `${p.agents}·${p.k}${p.depth > 2 ? `^${p.depth - 1}` : ''}`;
  return `1/(${denom}) = ${p.guarantee.toPrecision(2)} per trial, for a bug of depth ${p.depth} that shows within k = ${p.k} steps (n = ${p.agents} agents)`;
}

/** The line every PCT result carries. */
export function pctRateNote(label: string): string {
  return `rates under ${label} are PCT rates, not the uniform rate: PCT steers trials toward rare orderings; compare them only with rates under the same scheduler`;
}
