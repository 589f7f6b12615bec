import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT } from './helpers.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'naplab-cli-'));
const BIN = join(ROOT, 'apps/cli/dist/bin.js');

/** The totals a results/compare JSON reports, without timing fields. */
function totals(report: any) {
  return report.variants.map((v: any) => ({
    variant: v.variant,
    trials: v.trials,
    outcomes: v.outcomes,
    wakeups: v.wakeups,
    syncsTotal: v.syncsTotal,
    counters: v.counters,
    failure: v.failure?.trial,
  }));
}

describe('run and compare: results depend only on the seed and the trial count', () => {
  const base = [
    'power8-cede',
    '--variants',
    'buggy,fixed',
    '--trials',
    '600',
    '--seed',
    '9',
    '--engine',
    'reference',
    '--json',
  ];

  it('1 worker, 2 workers and 2 merged shards give identical totals', async () => {
    const one = await cli('compare', ...base, '--workers', '1');
    const two = await cli('compare', ...base, '--workers', '2');
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    const d = tmp();
    const s1 = await cli('compare', ...base, '--workers', '2', '--shard', '1/2', '--out', join(d, 's1'));
    const s2 = await cli('compare', ...base, '--workers', '1', '--shard', '2/2', '--out', join(d, 's2'));
    expect(s1.code).toBe(0);
    expect(s2.code).toBe(0);
    const merged = await cli('merge', join(d, 's1'), join(d, 's2'), '--json');
    expect(merged.err).toBe('');
    expect(merged.code).toBe(0);
    const t1 = totals(JSON.parse(one.out));
    expect(totals(JSON.parse(two.out))).toEqual(t1);
    expect(totals(JSON.parse(merged.out))).toEqual(t1);
    expect(t1[0].trials).toBe(600);
    expect(t1[0].outcomes.lockup).toBeGreaterThan(0); // buggy locks up
    expect(t1[1].outcomes.lockup).toBe(0); // fixed does not
  }, 240_000); // five compare runs on the reference engine, each shrinking buggy's failure

  it('run --json reports the outcome counts', async () => {
    const r = await cli(
      'run',
      'power8-cede',
      '--variant',
      'buggy',
      '--trials',
      '300',
      '--engine',
      'reference',
      '--json',
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j.outcomes).sort()).toEqual(['assert', 'limit', 'lockup', 'lost', 'ok']);
    expect(Object.values(j.outcomes as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(300);
    expect(j.outcomes.lockup).toBeGreaterThan(0);
    expect(j.failures[0].replay).toMatch(
      /^pnpm naplab replay power8-cede --variant buggy --memory \w+ --seed 1 --trial \d+$/,
    );
  });
});

describe('never lose work', () => {
  it('a run killed half-way (SIGKILL) resumes to the totals of an uninterrupted run', async () => {
    const d = tmp();
    const out = join(d, 'r.json');
    const args = [
      'run',
      'power8-cede',
      '--variant',
      'buggy',
      '--trials',
      '12000',
      '--seed',
      '3',
      '--engine',
      'reference',
      '--workers',
      '1',
      '--json',
    ];
    const child = spawn(process.execPath, [BIN, ...args, '--out', out], { stdio: 'ignore' });
    // wait until at least one checkpoint is on disk, then kill without warning
    await new Promise<void>((resolve, reject) => {
      const t = setInterval(() => {
        try {
          const j = JSON.parse(readFileSync(out, 'utf8'));
          if (j.aggregates.trials > 0) {
            clearInterval(t);
            child.kill('SIGKILL');
            resolve();
          }
        } catch {
          // not written yet
        }
      }, 20);
      child.on('exit', () => {
        clearInterval(t);
        resolve();
      });
      setTimeout(() => reject(new Error('no checkpoint within 120 s')), 120_000);
    });
    const partial = JSON.parse(readFileSync(out, 'utf8'));
    const resumed = await cli(...args, '--resume', out);
    expect(resumed.err).toBe('');
    expect(resumed.code).toBe(0);
    const straight = await cli(...args);
    const a = JSON.parse(resumed.out);
    const b = JSON.parse(straight.out);
    expect(a.trials).toBe(12000);
    expect(a.outcomes).toEqual(b.outcomes);
    expect(a.counters).toEqual(b.counters);
    expect(a.failures.map((f: any) => f.trial)).toEqual(b.failures.map((f: any) => f.trial));
    // the kill really happened mid-run: the checkpoint on disk was partial
    expect(partial.aggregates.trials).toBeGreaterThan(0);
    expect(partial.aggregates.trials).toBeLessThan(12000);
  }, 300_000);
});

describe('bad input gets a clear error, exit code 2, and never touches existing results', () => {
  it('--trials 0 and --shard 3/2', async () => {
    const a = await cli('compare', 'power8-cede', '--trials', '0');
    expect(a.code).toBe(2);
    expect(a.err).toContain("'--trials' must be at least 1, found 0");
    const b = await cli('compare', 'power8-cede', '--shard', '3/2');
    expect(b.code).toBe(2);
    expect(b.err).toContain("'--shard 3/2': i must be between 1 and N");
  });

  it('an unknown variant or scenario lists the valid ones', async () => {
    const v = await cli('check', 'power8-cede-small', '--variant', 'fixd');
    expect(v.code).toBe(2);
    expect(v.err).toContain("unknown wakeup variant 'fixd'; the variants are baseline, buggy, fixed, nosync");
    expect(v.err).toContain("did you mean 'fixed'?");
    const s = await cli('run', 'power9-cede');
    expect(s.code).toBe(2);
    expect(s.err).toMatch(
      /neither a built-in scenario nor an existing file; built-in scenarios: .*power8-cede-small/,
    );
  });

  it('an impossible scenario is refused with the reason', async () => {
    const d = tmp();
    const f = join(d, 'bad.json');
    writeFileSync(f, JSON.stringify({ cores: 1, threadsPerCore: 2, guest: { cpus: [0], secondaries: 3 } }));
    const r = await cli('run', f);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/impossible scenario/);
    expect(r.err).toMatch(/secondar|thread/);
  });

  it('a --wakeup file with an error points at its line', async () => {
    const d = tmp();
    const f = join(d, 'my-wakeup.s');
    writeFileSync(
      f,
      'pnv_powersave_wakeup_kvm:\n\tlbz\tr0,HSTATE_HWTHREAD_STATE(r13)\n\tcmpwi\tr0,KVM_HWTHREAD_IN_KERNEL\n\tbeqq\t1f\n1:\tb\tpnv_wakeup_noloss\n',
    );
    const r = await cli('check', 'power8-cede-small', '--wakeup', f);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${f}:4:2: error[NAP101]: unknown mnemonic 'beqq'`);
  });

  it("a truncated results file or another job's file is refused by --resume and merge, and left as it was", async () => {
    const d = tmp();
    const good = join(d, 'good.json');
    const r = await cli(
      'run',
      'power8-cede',
      '--variant',
      'fixed',
      '--trials',
      '100',
      '--engine',
      'reference',
      '--out',
      good,
      '--json',
    );
    expect(r.code).toBe(0);
    const text = readFileSync(good, 'utf8');
    const truncated = join(d, 'trunc.json');
    writeFileSync(truncated, text.slice(0, text.length / 2));
    const t = await cli(
      'run',
      'power8-cede',
      '--variant',
      'fixed',
      '--trials',
      '100',
      '--engine',
      'reference',
      '--resume',
      truncated,
    );
    expect(t.code).toBe(2);
    expect(t.err).toMatch(/error\[NAP02\d\].*line \d+, column \d+/);
    expect(readFileSync(truncated, 'utf8')).toBe(text.slice(0, text.length / 2));
    // another job: a different seed
    const other = await cli(
      'run',
      'power8-cede',
      '--variant',
      'fixed',
      '--trials',
      '100',
      '--seed',
      '2',
      '--engine',
      'reference',
      '--resume',
      good,
    );
    expect(other.code).toBe(2);
    expect(other.err).toContain('seed differs');
    expect(readFileSync(good, 'utf8')).toBe(text);
    // merge with another scenario's results
    const buggy = join(d, 'buggy.json');
    await cli(
      'run',
      'power8-cede-small',
      '--variant',
      'fixed',
      '--trials',
      '50',
      '--engine',
      'reference',
      '--out',
      buggy,
      '--json',
    );
    const m = await cli('merge', good, buggy);
    expect(m.code).toBe(2);
    expect(m.err).toMatch(/cannot merge/);
    // an existing results file is not overwritten by a fresh run
    const again = await cli(
      'run',
      'power8-cede',
      '--variant',
      'fixed',
      '--trials',
      '100',
      '--engine',
      'reference',
      '--out',
      good,
    );
    expect(again.code).toBe(2);
    expect(readFileSync(good, 'utf8')).toBe(text);
  });
});

describe('the HTML report escapes what comes from the user', () => {
  it('a scenario with a hostile name and description renders no injected markup', async () => {
    const d = tmp();
    const f = join(d, 'hostile.json');
    const evil = '<script>alert(1)</script>"><img src=x onerror=alert(1)></pre>]]>';
    const small = JSON.parse((await cli('run', '--help')).out === '' ? '{}' : '{}');
    void small;
    writeFileSync(
      f,
      JSON.stringify({
        name: evil,
        description: evil,
        cores: 2,
        threadsPerCore: 2,
        guest: { cpus: [2], secondaries: 1, rounds: 1 },
        ksmd: { cpu: 0, calls: 1 },
      }),
    );
    const rep = join(d, 'report');
    const r = await cli(
      'compare',
      f,
      '--variants',
      'buggy,fixed',
      '--trials',
      '200',
      '--engine',
      'reference',
      '--report',
      rep,
      '--json',
    );
    expect(r.err).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const html = readFileSync(join(rep, 'report.html'), 'utf8');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    // an onerror attribute inside a tag, not the escaped text
    expect(html).not.toMatch(/<[^>]*\sonerror=/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('the flagship acceptance run', () => {
  it('compare power8-cede --trials 200000: buggy locks up (interval excludes 0); baseline and fixed never do; fixed syncs less per wakeup', async () => {
    const r = await cli(
      'compare',
      'power8-cede',
      '--variants',
      'baseline,buggy,fixed',
      '--trials',
      '200000',
      '--json',
    );
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.out);
    const v = Object.fromEntries(rep.variants.map((x: any) => [x.variant, x]));
    expect(v.buggy.trials).toBe(200000);
    expect(v.buggy.outcomes.lockup).toBeGreaterThan(0);
    expect(v.buggy.lockupRate.lower).toBeGreaterThan(0);
    expect(v.buggy.failure.message).toMatch(/^watchdog: CPU \d+ detected hard LOCKUP on other CPUs \d+/);
    for (const ok of ['baseline', 'fixed']) {
      expect(v[ok].trials).toBe(200000);
      expect(v[ok].outcomes.lockup).toBe(0);
      expect(v[ok].outcomes.ok).toBe(200000);
    }
    expect(v.fixed.syncsPerWakeup.estimate).toBeLessThan(v.baseline.syncsPerWakeup.estimate);
    expect(v.fixed.syncsPerWakeup.upper).toBeLessThan(v.baseline.syncsPerWakeup.lower);
  }, 600_000);
});
