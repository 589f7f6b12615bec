/**
 * `naplab merge <files or dirs...>`: combine shard results exactly (counts add; intervals are
 * recomputed from the sums, never averaged). Files of several variants of one comparison (e.g. the
 * `--out` directories of `naplab compare --shard i/N`) are grouped by variant and merged per
 * variant; with more than one variant the comparison table is printed.
 */
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Image, pctAgents, pctGuarantee, schedulerLabel } from '@naplab/isa';
import {
  buildCompareReport,
  buildTimedReport,
  type CompareInput,
  type CompareReport,
  renderTable,
  reportToJSON,
  type TimedReport,
  writeReportDir,
} from '@naplab/report';
import { mergeResults, type Results, readResultsFile, writeResultsFile } from '@naplab/runner';
import { type OptSpec, parseOrHelp } from '../args.js';
import { command, HELP_OPT, JSON_OPT } from '../common.js';
import { CliError } from '../errors.js';
import type { Io } from '../io.js';
import { RunnerError } from '../jobs.js';
import { compileVariant, loadScenario } from '../scenario.js';
import { guaranteeText, pctRateNote } from '../scheduler.js';
import { timedRunInput } from '../timed.js';
import { variantInput } from '../variant-input.js';
import { version } from '../version.js';

const SPECS: OptSpec[] = [
  {
    name: 'out',
    type: 'string',
    arg: 'FILE|DIR',
    desc: 'write the merged results (a file for one variant, a directory for several)',
  },
  {
    name: 'report',
    type: 'string',
    arg: 'DIR',
    desc: 'write report.md, report.json and report.html into DIR',
  },
  JSON_OPT,
  HELP_OPT,
];

function collect(args: string[]): string[] {
  const files: string[] = [];
  for (const a of args) {
    if (!existsSync(a)) throw new CliError('NAP006', `cannot read '${a}': ENOENT`);
    if (statSync(a).isDirectory()) {
      const inDir = readdirSync(a)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => join(a, f));
      if (inDir.length === 0) throw new CliError('NAP006', `'${a}' holds no .json results files`);
      files.push(...inDir);
    } else files.push(a);
  }
  return files;
}

export async function mergeCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseOrHelp('merge', argv, SPECS, {
    usage: '<results files or directories...> [options]',
    summary: 'Merge shard results exactly.',
    out: (text) => io.out(text),
  });
  if (!parsed) return 0;
  const { positionals, opts } = parsed;
  if (positionals.length === 0)
    throw new CliError(
      'NAP005',
      'no results files given',
      "e.g. 'naplab merge shard1.json shard2.json --out all.json'",
    );
  const files = collect(positionals);
  const groups = new Map<string, { files: string[]; parts: Results[] }>();
  try {
    for (const f of files) {
      const r = await readResultsFile(f);
      const key = groupKey(r);
      const g = groups.get(key) ?? { files: [], parts: [] };
      g.files.push(f);
      g.parts.push(r);
      groups.set(key, g);
    }
    // one scheduler for the whole merge, across variants too: PCT and uniform rates never mix
    const all = [...groups.values()].flatMap((g) => g.parts.map((r, i) => ({ r, file: g.files[i]! })));
    const odd = all.find((x) => schedulerKey(x.r) !== schedulerKey(all[0]!.r));
    if (odd) {
      throw new CliError(
        'NAP039',
        `cannot merge: scheduler differs: ${all[0]!.file} ran under ${schedulerKey(all[0]!.r)}, ${odd.file} under ${schedulerKey(odd.r)}: rates under different schedulers measure different things and are never added up`,
        'merge only results of one --scheduler (pct:D:K with the same K); compare the schedulers side by side instead',
      );
    }
    const merged = [...groups.entries()].map(([key, g]) => ({
      key,
      variant: variantOf(g.parts[0]!),
      results: mergeResults(g.parts, { names: g.files }),
    }));
    if (opts.out) {
      if (merged.length === 1) await writeResultsFile(opts.out as string, merged[0]!.results);
      else {
        mkdirSync(opts.out as string, { recursive: true });
        for (const m of merged)
          await writeResultsFile(join(opts.out as string, `${m.key}.results.json`), m.results);
      }
    }
    return await present(merged, opts, io);
  } catch (e) {
    if (e instanceof RunnerError && e.field === 'scheduler') {
      throw new CliError(
        'NAP039',
        `${e.message}: rates under different schedulers measure different things and are never added up`,
        'merge only the shards of one run; rerun the missing shards with the same --scheduler (pct:D:K with the same K)',
      );
    }
    if (e instanceof RunnerError) {
      throw new CliError(
        'NAP023',
        e.message,
        'merge the disjoint shards of one job: same scenario, variant, memory model, seed and trial count',
      );
    }
    throw e;
  }
}

async function present(
  merged: { key: string; variant: string; results: Results }[],
  opts: Record<string, unknown>,
  io: Io,
): Promise<number> {
  const first = merged[0]!.results;
  const label = (first.job.label ?? {}) as Record<string, string>;
  const incomplete = merged.filter((m) => {
    const [from, to] = m.results.job.range;
    return !(
      m.results.completed.length === 1 &&
      m.results.completed[0]![0] === from &&
      m.results.completed[0]![1] === to
    );
  });
  for (const m of incomplete) {
    const [from, to] = m.results.job.range;
    const done = m.results.aggregates.trials;
    io.err(
      `naplab: warning: ${m.variant}: the merged results cover ${done} of the ${to - from} trials in [${from}, ${to}) (a shard is missing or unfinished)\n`,
    );
  }
  // Reports need each variant's image (counter names, symbols for timelines): rebuild it from the
  // scenario recorded in the label and check it is the image that produced the results.
  let images: Map<string, Image> | undefined;
  if (label.source) {
    try {
      const loaded = await loadScenario(label.source);
      images = new Map();
      for (const m of merged) {
        const l = (m.results.job.label ?? {}) as Record<string, string>;
        const c = compileVariant(
          loaded,
          l.variant === 'custom' ? { wakeup: l.wakeup } : { variant: l.variant },
        );
        images.set(m.variant, c.image);
      }
    } catch {
      images = undefined;
    }
  }
  const memory = first.job.memory;
  const seed = first.job.seed;
  const timed = first.job.scheduler.kind === 'timed';
  // timed: one results file per variant and sync cost; the report's variant rows are those of the
  // lowest sync cost (as `compare` shows its first), the timed section has every one
  const costs = timed ? [...new Set(merged.map((m) => syncCostOf(m.results)))].sort((a, b) => a - b) : [];
  const rows = timed ? merged.filter((m) => syncCostOf(m.results) === costs[0]) : merged;
  if (images) {
    const report = buildCompareReport({
      naplabVersion: version(),
      createdAt: new Date().toISOString(),
      scenario: { name: label.scenario ?? label.source, source: label.source },
      memory,
      scheduler: schedulerKey(first),
      ...pctReport(first, [...images.values()]),
      engine: first.job.engine,
      seed,
      trialsPerVariant: first.job.trials,
      command: command(['merge', ...merged.map((m) => m.key)]),
      variants: rows.map((m) =>
        variantInput(
          {
            variant: m.variant,
            wakeupSource: String((m.results.job.label as any)?.wakeup ?? m.variant),
            image: images!.get(m.variant)!,
            results: m.results,
          },
          {
            scenarioSource: label.source!,
            memory,
            seed,
            timeline: false,
            schedulerWords: first.job.scheduler.kind === 'pct' ? ['--scheduler', schedulerKey(first)] : [],
            // a timed trial is not a uniform trial of the same index: replay it by its decisions
            bySchedule: timed,
          },
        ),
      ),
    });
    if (timed) report.timed = mergedTimedReport(merged, costs, images, report);
    if (opts.report) await writeReportDir(opts.report as string, report);
    if (opts.json) io.out(reportToJSON(report));
    else io.out(renderTable(report, { color: io.isTTY }));
  } else {
    // results of an image naplab cannot rebuild here: print the merged counts
    if (opts.json)
      io.out(
        `${JSON.stringify(
          merged.map((m) => ({ variant: m.variant, job: m.results.job, aggregates: m.results.aggregates })),
          null,
          2,
        )}\n`,
      );
    else
      for (const m of merged)
        io.out(
          `${m.variant}: ${m.results.aggregates.trials} trials, outcomes ${JSON.stringify(m.results.aggregates.outcomes)}\n`,
        );
  }
  return incomplete.length ? 3 : 0;
}

/** The variant a results file is for (its label), or its image hash. */
function variantOf(r: Results): string {
  return String((r.job.label as Record<string, unknown> | undefined)?.variant ?? r.job.image.hash);
}

/** The sync cost of a timed results file (its label, else its cost model). */
function syncCostOf(r: Results): number {
  const l = (r.job.label as Record<string, unknown> | undefined)?.syncCost;
  if (typeof l === 'number') return l;
  return r.job.scheduler.kind === 'timed' ? r.job.scheduler.cost.instr.sync : 0;
}

/** Shards of one job merge together: one variant, and under `timed` one sync cost. */
function groupKey(r: Results): string {
  return r.job.scheduler.kind === 'timed' ? `${variantOf(r)}.sync${syncCostOf(r)}` : variantOf(r);
}

/** The timed section of `compare` (cycles per wakeup, lockups per hour) from merged results. */
function mergedTimedReport(
  merged: { variant: string; results: Results }[],
  costs: number[],
  images: Map<string, Image>,
  report: CompareReport,
): TimedReport {
  const s = merged[0]!.results.job.scheduler;
  if (s.kind !== 'timed') throw new Error('internal: not timed results');
  const label = (v: string) => report.variants.find((x) => x.variant === v)?.label ?? v;
  return buildTimedReport({
    // the base model's name: withSyncCost appends ", sync N" to it
    costModel: s.cost.name.replace(/, sync \d+$/, ''),
    cyclesPerUs: s.cost.cyclesPerUs,
    watchdogThresh: s.watchdogThresh,
    syncCosts: costs,
    confidence: report.confidence,
    // in compare's order: sync costs ascending, then the variants in the report's order
    runs: costs.flatMap((c) =>
      report.variants.flatMap((v) =>
        merged
          .filter((m) => m.variant === v.variant && syncCostOf(m.results) === c)
          .map((m) => timedRunInput(m.variant, label(m.variant), c, images.get(m.variant)!, m.results)),
      ),
    ),
  });
}

function schedulerKey(r: Results): string {
  const s = r.job.scheduler;
  return s.kind === 'replay' ? 'replay' : schedulerLabel(s);
}

/** The report's PCT block for merged PCT results (the same words `compare` prints). */
function pctReport(r: Results, images: Image[]): { pct?: CompareInput['pct'] } {
  const s = r.job.scheduler;
  if (s.kind !== 'pct') return {};
  const agents = Math.max(...images.map((img) => pctAgents(img, r.job.memory)));
  const info = {
    depth: s.depth,
    k: s.k,
    agents,
    guarantee: pctGuarantee(agents, s.k, s.depth),
    kFrom: 'given' as const,
  };
  return {
    pct: {
      depth: s.depth,
      k: s.k,
      agents,
      guarantee: info.guarantee,
      note: `${pctRateNote(schedulerLabel(s))}. Guarantee: ${guaranteeText(info)}.`,
    },
  };
}
