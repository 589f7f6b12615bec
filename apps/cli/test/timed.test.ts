/**
 * `naplab compare --scheduler timed`: the sync-cost sweep, the timed report (JSON, Markdown, HTML
 * with its plot), determinism over workers, and the NAP040-NAP046 refusals.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { POWER8_COST_MODEL } from '@naplab/isa';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'naplab-timed-'));
const base = ['power8-cede', '--scheduler', 'timed', '--trials', '150', '--seed', '4', '--json'];

describe('compare --scheduler timed', () => {
  it('sweeps the sync cost: every baseline wakeup pays exactly the difference', async () => {
    const r = await cli('compare', ...base, '--sync-cost', '50,250', '--variants', 'baseline,buggy,fixed');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.out);
    expect(rep.scheduler).toBe('timed');
    const t = rep.timed;
    expect(t.syncCosts).toEqual([50, 250]);
    expect(t.dispatchCounters).toEqual(['wakeup_to_host', 'wakeup_to_kvm']);
    expect(t.rows.map((x: any) => `${x.variant}@${x.syncCost}`)).toEqual([
      'baseline@50',
      'buggy@50',
      'fixed@50',
      'baseline@250',
      'buggy@250',
      'fixed@250',
    ]);
    const row = (v: string, c: number) => t.rows.find((x: any) => x.variant === v && x.syncCost === c);
    // the baseline's wakeup path runs one sync and waits for nothing: its latency is fixed
    const b50 = row('baseline', 50).cyclesPerWakeup;
    const b250 = row('baseline', 250).cyclesPerWakeup;
    expect(b50.min).toBe(b50.max);
    expect(b250.mean - b50.mean).toBe(200);
    expect(row('baseline', 50).skipSyncRate.k).toBe(0);
    // buggy locks up; the watchdog reports each lockup 11..19 s after the machine stopped
    const buggy = row('buggy', 50);
    expect(buggy.lockups).toBeGreaterThan(0);
    expect(buggy.meanTimeToLockup.method).toBe('garwood');
    expect(buggy.meanTimeToLockup.lower).toBeLessThan(buggy.meanTimeToLockup.estimate);
    expect(buggy.watchdog.reports).toBe(buggy.lockups);
    expect(buggy.watchdog.minDelay).toBeGreaterThan(11);
    expect(buggy.watchdog.maxDelay).toBeLessThan(19);
    // baseline and fixed: no lockup, a rule-of-three lower bound on the mean time to one
    for (const v of ['baseline', 'fixed']) {
      const m = row(v, 50).meanTimeToLockup;
      expect(m.method).toBe('rule-of-three');
      expect(m.lower).toBeCloseTo(row(v, 50).simulatedSeconds / -Math.log(0.05), 12);
    }
    const d = t.differences.find((x: any) => x.a === 'baseline' && x.b === 'fixed' && x.syncCost === 250);
    expect(d.expected.estimate).toBeCloseTo(250 * row('fixed', 250).skipSyncRate.estimate, 9);
    // a failing timed trial replays from its recorded decisions
    expect(rep.variants.find((v: any) => v.variant === 'buggy').failure.replayCommand).toMatch(
      /naplab replay power8-cede --variant buggy --memory sc --schedule \d+(,\d+)*$/,
    );
  });

  it('gives the same totals with 1 and 2 workers', async () => {
    const one = await cli('compare', ...base, '--variants', 'buggy', '--workers', '1');
    const two = await cli('compare', ...base, '--variants', 'buggy', '--workers', '2');
    const rows = (r: { out: string }) => JSON.parse(r.out).timed.rows;
    expect(rows(two)).toEqual(rows(one));
    expect(rows(one)[0].syncCost).toBe(POWER8_COST_MODEL.instr.sync);
  });

  it('merge of timed shards (two sync costs) gives the unsharded timed report, and replays by schedule', async () => {
    const args = [...base, '--variants', 'buggy,fixed', '--sync-cost', '50,100'];
    const whole = JSON.parse((await cli('compare', ...args)).out);
    const dirs = [tmp(), tmp()];
    for (const [i, d] of dirs.entries())
      expect((await cli('compare', ...args, '--shard', `${i + 1}/2`, '--out', d)).code).toBe(0);
    const m = await cli('merge', ...dirs, '--json');
    expect(m.code).toBe(0);
    const merged = JSON.parse(m.out);
    expect(merged.scheduler).toBe('timed');
    expect(merged.timed.rows).toEqual(whole.timed.rows);
    expect(merged.timed.differences).toEqual(whole.timed.differences);
    expect(merged.timed.costModel).toBe(whole.timed.costModel);
    expect(merged.variants.map((v: { trials: number }) => v.trials)).toEqual([150, 150]);
    // a timed trial is replayed by its decisions, never as a uniform trial of the same index
    const failure = merged.variants.find((v: { variant: string }) => v.variant === 'buggy').failure;
    expect(failure.replayCommand).toMatch(
      /naplab replay power8-cede --variant buggy --memory sc --schedule \d/,
    );
    expect(failure.replayCommand).not.toMatch(/--trial /);
    const text = await cli('merge', ...dirs);
    expect(text.out).toMatch(/^variant\s+sync cost\s+cycles\/wakeup/m);
  });

  it('writes the report with the plot of cycles per wakeup against the sync cost', async () => {
    const dir = tmp();
    const r = await cli(
      'compare',
      ...base,
      '--variants',
      'baseline,fixed',
      '--sync-cost',
      '100,400',
      '--report',
      dir,
    );
    expect(r.code).toBe(0);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<section id="timed">');
    expect(html).toContain('aria-label="Cycles per wakeup against the sync cost"');
    expect((html.match(/<polyline /g) ?? []).length).toBe(2);
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('### Timed: cycles per wakeup and lockups per simulated hour');
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).timed.rows).toHaveLength(4);
  });

  it('reads a whole cost model from --cost', async () => {
    const f = join(tmp(), 'cost.json');
    writeFileSync(
      f,
      JSON.stringify({ ...POWER8_COST_MODEL, name: 'mine', instr: { ...POWER8_COST_MODEL.instr, sync: 7 } }),
    );
    const r = await cli('compare', ...base, '--variants', 'baseline', '--cost', f);
    expect(r.code).toBe(0);
    const t = JSON.parse(r.out).timed;
    expect(t.costModel).toBe('mine');
    expect(t.syncCosts).toEqual([7]);
  });
});

describe('compare --scheduler timed: bad input', () => {
  const cases: [string[], string, RegExp][] = [
    [['--scheduler', 'timd'], 'NAP035', /'--scheduler timd' is not a scheduler[\s\S]*did you mean 'timed'/],
    [['--scheduler', 'timed', '--sync-cost', '50,x'], 'NAP041', /item 2 \('x'\)/],
    [['--scheduler', 'timed', '--sync-cost', '50,50'], 'NAP041', /50 appears twice/],
    [['--sync-cost', '50'], 'NAP044', /'--sync-cost' needs '--scheduler timed'/],
    [['--scheduler', 'timed', '--watchdog-thresh', '0'], 'NAP045', /watchdogThresh 0/],
    [['--scheduler', 'timed', '--memory', 'power'], 'NAP046', /runs the sc and tso memory models/],
    [['--scheduler', 'timed', '--cost', '/nonexistent/c.json'], 'NAP042', /cannot read cost model/],
  ];
  for (const [args, code, msg] of cases) {
    it(`${args.join(' ')} -> ${code}`, async () => {
      const r = await cli('compare', 'power8-cede', '--trials', '10', ...args);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`error[${code}]`);
      expect(r.err).toMatch(msg);
    });
  }

  it('run and replay do not run timed (NAP040)', async () => {
    for (const [cmd, arg] of [
      ['run', '--trials'],
      ['replay', '--trial'],
    ] as const) {
      const r = await cli(cmd, 'power8-cede', arg, '1', '--scheduler', 'timed');
      expect(r.code).toBe(2);
      expect(r.err).toContain('error[NAP040]');
      expect(r.err).toContain(`'--scheduler timed' is not a scheduler 'naplab ${cmd}' runs`);
    }
  });

  it('names the bad field of a cost model (NAP043)', async () => {
    const f = join(tmp(), 'bad.json');
    const bad = structuredClone(POWER8_COST_MODEL) as any;
    bad.latency.napWakeup = { min: 20, max: 10 };
    writeFileSync(f, JSON.stringify(bad));
    const r = await cli('compare', 'power8-cede', '--scheduler', 'timed', '--cost', f);
    expect(r.code).toBe(2);
    expect(r.err).toContain('error[NAP043]');
    expect(r.err).toContain('latency.napWakeup has max 10 < min 20');
  });
});
