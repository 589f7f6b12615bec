/**
 * `--scheduler pct:D[:K]` end to end: the option's refusals (NAP035-NAP038), a PCT run labelled
 * as such with its guarantee, a PCT failure rerun by `replay --scheduler ... --trial` and by its
 * schedule, shards under PCT merging to the whole run, `merge` refusing to mix schedulers (NAP039),
 * and both engines agreeing trial for trial under pct:1..3 on the power8-cede images.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wasmEngine } from '@naplab/engine';
import { referenceEngine } from '@naplab/engine-ref';
import type { MemoryModel } from '@naplab/isa';
import { compileScenario, getBuiltinScenario } from '@naplab/power8-kvm';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'naplab-pct-'));

describe('--scheduler: refusals', () => {
  const cases: [string, string, RegExp][] = [
    ['pct', 'NAP035', /not a scheduler/],
    ['unifrom', 'NAP035', /did you mean 'uniform'/],
    ['pct:2:3:4', 'NAP035', /not a scheduler/],
    ['pct:0', 'NAP036', /depth must be an integer from 1 to 16, found '0'/],
    ['pct:17', 'NAP036', /found '17'/],
    ['pct:x', 'NAP036', /found 'x'/],
    ['pct:2:0', 'NAP037', /step bound k must be an integer/],
    ['pct:2:1e3', 'NAP037', /found '1e3'/],
  ];
  for (const [value, code, re] of cases) {
    it(`--scheduler ${value} -> ${code}`, async () => {
      for (const command of ['run', 'compare']) {
        const r = await cli(command, 'power8-cede', '--scheduler', value, '--trials', '10');
        expect(r.code).toBe(2);
        expect(r.out).toBe('');
        expect(r.err).toContain(`error[${code}]`);
        expect(r.err).toMatch(re);
        expect(r.err).toContain('hint:');
      }
    });
  }
  it('pct with --memory power -> NAP038', async () => {
    const r = await cli(
      'run',
      'power8-cede',
      '--memory',
      'power',
      '--engine',
      'reference',
      '--scheduler',
      'pct:2',
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain('error[NAP038]');
  });
  it('replay: --scheduler pct needs --trial', async () => {
    const r = await cli('replay', 'power8-cede', '--schedule', '0,1', '--scheduler', 'pct:2:100');
    expect(r.code).toBe(2);
    expect(r.err).toContain('applies to --trial only');
  });
});

describe('a PCT run', () => {
  it('is labelled as PCT (not the uniform rate), reports its guarantee, and its failures replay', async () => {
    const r = await cli(
      'run',
      'power8-cede',
      '--variant',
      'buggy',
      '--memory',
      'tso',
      '--scheduler',
      'pct:2',
      '--trials',
      '300',
      '--workers',
      '1',
      '--json',
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    // k comes from the uniform pilot on the same image and seed: max steps of trials [0, 200)
    const image = compileScenario({ ...getBuiltinScenario('power8-cede'), variant: 'buggy' });
    const pilot = wasmEngine.runTrials(image, {
      memory: 'tso',
      scheduler: { kind: 'uniform' },
      seed: 1,
      from: 0,
      to: 200,
      record: 'none',
    });
    const k = pilot.aggregates.maxSteps;
    expect(j.scheduler).toBe(`pct:2:${k}`);
    expect(j.lockupRate.scheduler).toBe(`pct:2:${k}`);
    expect(j.pct).toMatchObject({ depth: 2, k, agents: 29, kFrom: 'pilot' });
    expect(j.pct.guarantee).toBeCloseTo(1 / (29 * k), 15);
    expect(j.pct.note).toMatch(/PCT rates, not the uniform rate/);
    // the rates are those of the engine under pct:2:k
    const direct = wasmEngine.runTrials(image, {
      memory: 'tso',
      scheduler: { kind: 'pct', depth: 2, k },
      seed: 1,
      from: 0,
      to: 300,
      record: 'failures',
      maxFailures: 10,
    });
    expect(j.outcomes).toEqual(direct.aggregates.outcomes);
    expect(j.outcomes.lockup).toBeGreaterThan(0);
    const f = j.failures.find((x: { outcome: string }) => x.outcome === 'lockup');
    expect(f.replay).toBe(
      `pnpm naplab replay power8-cede --variant buggy --memory tso --scheduler pct:2:${k} --seed 1 --trial ${f.trial}`,
    );
    // replay by seed and index under the same scheduler, on both engines, and by the schedule
    for (const engine of ['wasm', 'reference']) {
      const again = await cli(
        'replay',
        'power8-cede',
        '--variant',
        'buggy',
        '--memory',
        'tso',
        '--scheduler',
        `pct:2:${k}`,
        '--trial',
        String(f.trial),
        '--engine',
        engine,
        '--json',
      );
      expect(again.code).toBe(0);
      const a = JSON.parse(again.out);
      expect(a.trial.outcome).toBe('lockup');
      expect(a.trial.steps).toBe(f.steps);
      expect(a.trial.schedule).toEqual(f.schedule);
    }
    const bySchedule = await cli(
      'replay',
      'power8-cede',
      '--variant',
      'buggy',
      '--memory',
      'tso',
      '--schedule',
      f.schedule.join(','),
      '--json',
    );
    expect(bySchedule.code).toBe(0);
    expect(JSON.parse(bySchedule.out).trial.outcome).toBe('lockup');
    expect(JSON.parse(bySchedule.out).trial.steps).toBe(f.steps);

    const text = await cli(
      'run',
      'power8-cede',
      '--variant',
      'buggy',
      '--memory',
      'tso',
      '--scheduler',
      `pct:2:${k}`,
      '--trials',
      '300',
      '--workers',
      '1',
    );
    expect(text.code).toBe(0);
    expect(text.out).toContain(`scheduler pct:2:${k}`);
    expect(text.out).toContain(`lockup rate under pct:2:${k} (PCT, not the uniform rate)`);
    expect(text.out).toContain(`PCT guarantee: 1/(29·${k}) =`);
    expect(text.out).toContain('k: given');
  }, 120_000);

  it('compare --scheduler pct:2: one k for all variants, and the report says PCT rates', async () => {
    const r = await cli(
      'compare',
      'power8-cede',
      '--variants',
      'buggy,fixed',
      '--memory',
      'tso',
      '--scheduler',
      'pct:2',
      '--trials',
      '200',
      '--workers',
      '1',
      '--json',
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.scheduler).toMatch(/^pct:2:\d+$/);
    expect(j.pct.k).toBe(Number(j.scheduler.split(':')[2]));
    expect(j.pct.note).toMatch(/not the uniform rate/);
    expect(j.command).toContain(`--scheduler ${j.scheduler}`);
    const table = await cli(
      'compare',
      'power8-cede',
      '--variants',
      'buggy,fixed',
      '--memory',
      'tso',
      '--scheduler',
      j.scheduler,
      '--trials',
      '200',
      '--workers',
      '1',
    );
    expect(table.out).toContain('(PCT rates, not uniform rates)');
  }, 120_000);

  it('shards under PCT merge to the whole run; merging with uniform results is refused (NAP039)', async () => {
    const d = tmp();
    const base = [
      'power8-cede',
      '--variant',
      'buggy',
      '--memory',
      'tso',
      '--trials',
      '200',
      '--workers',
      '1',
    ];
    const whole = await cli('run', ...base, '--scheduler', 'pct:3', '--json');
    const s1 = await cli(
      'run',
      ...base,
      '--scheduler',
      'pct:3',
      '--shard',
      '1/2',
      '--out',
      join(d, 'a.json'),
    );
    const s2 = await cli(
      'run',
      ...base,
      '--scheduler',
      'pct:3',
      '--shard',
      '2/2',
      '--out',
      join(d, 'b.json'),
    );
    const u = await cli('run', ...base, '--shard', '2/2', '--out', join(d, 'u.json'));
    expect([whole.code, s1.code, s2.code, u.code]).toEqual([0, 0, 0, 0]);
    const m = await cli('merge', join(d, 'a.json'), join(d, 'b.json'), '--json');
    expect(m.code).toBe(0);
    const merged = JSON.parse(m.out);
    const w = JSON.parse(whole.out);
    expect(merged.variants[0].outcomes).toEqual(w.outcomes);
    expect(merged.scheduler).toBe(w.scheduler);
    expect(merged.pct.k).toBe(w.pct.k);
    // the file records the scheduler
    expect(JSON.parse(readFileSync(join(d, 'a.json'), 'utf8')).job.scheduler).toEqual({
      kind: 'pct',
      depth: 3,
      k: w.pct.k,
    });
    const mixed = await cli('merge', join(d, 'a.json'), join(d, 'u.json'));
    expect(mixed.code).toBe(2);
    expect(mixed.err).toContain('error[NAP039]');
    expect(mixed.err).toMatch(/scheduler differs/);
    expect(mixed.err).toContain(`pct:3:${w.pct.k}`);
    expect(mixed.err).toContain('uniform');
  }, 120_000);
});

describe('power8-cede images: the engines agree trial for trial under PCT', () => {
  const cases: [string, string, MemoryModel][] = [
    ['power8-cede', 'buggy', 'tso'],
    ['power8-cede', 'nosync', 'tso'],
    ['power8-cede', 'fixed', 'sc'],
    ['power8-cede-small', 'nosync', 'tso'],
  ];
  for (const [scenario, variant, memory] of cases) {
    it(`${scenario} ${variant} (${memory}), pct:1..3`, () => {
      const image = compileScenario({ ...getBuiltinScenario(scenario), variant });
      for (const depth of [1, 2, 3]) {
        const opts = {
          memory,
          scheduler: { kind: 'pct' as const, depth, k: 900 },
          seed: 2026,
          from: 0,
          to: 40,
          record: 'all' as const,
        };
        const want = referenceEngine.runTrials(image, opts);
        expect(wasmEngine.runTrials(image, opts)).toStrictEqual(want);
      }
    }, 120_000);
  }
});
