import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { cli } from './helpers.js';

/** The violation's token replays to the same lockup on both engines. */
async function expectLockupReplays(
  v: { token: string; steps: number; schedule: number[] },
  variant: string,
): Promise<void> {
  for (const engine of ['wasm', 'reference']) {
    const replayed = await cli('replay', v.token, '--engine', engine, '--json');
    expect(replayed.code, `${variant} ${engine}`).toBe(0);
    expect(JSON.parse(replayed.out).trial).toMatchObject({
      outcome: 'lockup',
      steps: v.steps,
      schedule: v.schedule,
    });
  }
}

/** `naplab check power8-cede-small --variant V --memory power ...more` */
const smallPower = (variant: string, ...more: string[]) => [
  'check',
  'power8-cede-small',
  '--variant',
  variant,
  '--memory',
  'power',
  ...more,
];

describe('naplab check power8-cede-small (WebAssembly engine, exhaustive)', () => {
  it('buggy is violated: the primary is lost through the stale frame and ksmd waits forever', async () => {
    const r = await cli('check', 'power8-cede-small', '--variant', 'buggy', '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.verdict).toBe('violated');
    expect(j.cut).toBe(false);
    expect(j.violation.outcome).toBe('lockup');
    expect(j.violation.message).toMatch(/^watchdog: CPU 0 detected hard LOCKUP on other CPUs 2$/);
    // the step list (--steps; the default is the timeline, test/counterexamples.test.ts) shows the chain in order
    const t = await cli('check', 'power8-cede-small', '--variant', 'buggy', '--steps');
    const order = [
      /hwthread_state already IN_KERNEL: store, sync and the hwthread_req test skipped/,
      /stale host-idle return/,
      /LOST: /,
    ];
    let at = 0;
    for (const re of order) {
      const m = re.exec(t.out.slice(at));
      expect(m, String(re)).not.toBeNull();
      at += m!.index + m![0].length;
    }
    expect(t.out).toMatch(/replay: pnpm naplab replay np1_/);
  });

  it('fixed and baseline hold under sc and tso; nosync holds under sc and is violated under tso', async () => {
    for (const memory of ['sc', 'tso']) {
      for (const variant of ['baseline', 'fixed']) {
        const r = await cli('check', 'power8-cede-small', '--variant', variant, '--memory', memory, '--json');
        expect({ variant, memory, code: r.code, verdict: JSON.parse(r.out).verdict }).toEqual({
          variant,
          memory,
          code: 0,
          verdict: 'holds',
        });
      }
    }
    const sc = JSON.parse(
      (await cli('check', 'power8-cede-small', '--variant', 'nosync', '--memory', 'sc', '--json')).out,
    );
    expect(sc.verdict).toBe('holds');
    const tso = JSON.parse(
      (await cli('check', 'power8-cede-small', '--variant', 'nosync', '--memory', 'tso', '--json')).out,
    );
    expect(tso.verdict).toBe('violated');
    expect(tso.violation.outcome).toBe('lockup');
  });

  it('round trip: violation -> token -> replay on both engines -> the identical trial', async () => {
    const j = JSON.parse((await cli('check', 'power8-cede-small', '--variant', 'buggy', '--json')).out);
    const token: string = j.violation.token;
    const wasm = await cli('replay', token, '--json');
    const ref = await cli('replay', token, '--engine', 'reference', '--json');
    expect(wasm.code).toBe(0);
    expect(ref.code).toBe(0);
    const a = JSON.parse(wasm.out);
    const b = JSON.parse(ref.out);
    expect(a.enginesAgree).toBe(true);
    expect(b.enginesAgree).toBe(true);
    expect(a.trial).toEqual(b.trial);
    expect(a.trial.outcome).toBe('lockup');
    expect(a.trial.schedule).toEqual(j.violation.schedule);
    // the same step list on both engines
    const ta = await cli('replay', token);
    const tb = await cli('replay', token, '--engine', 'reference');
    expect(ta.out.replace(/engine \w+/, '')).toBe(tb.out.replace(/engine \w+/, ''));
  });

  it('a token is refused when the image has changed', async () => {
    const j = JSON.parse((await cli('check', 'power8-cede-small', '--variant', 'buggy', '--json')).out);
    const body = JSON.parse(Buffer.from(j.violation.token.slice(4), 'base64url').toString());
    body.variant = 'fixed'; // same schedule, another image
    const forged = `np1_${Buffer.from(JSON.stringify(body)).toString('base64url')}`;
    const r = await cli('replay', forged);
    expect(r.code).toBe(2);
    expect(r.err).toContain('the image changed since this token was recorded');
  });

  it('an inconclusive search (cut by a bound) exits 3 and says how to go on', async () => {
    const r = await cli(
      'check',
      'power8-cede-small',
      '--variant',
      'fixed',
      '--memory',
      'power',
      '--max-states',
      '500',
    );
    expect(r.code).toBe(3);
    expect(r.out).toContain('INCONCLUSIVE: 500 states');
    expect(r.out).toContain("hint: raise the bound ('--max-states 5000')");
    expect(r.out).toContain(
      'pnpm naplab run power8-cede-small --variant fixed --memory power --trials 10000',
    );
  });

  it('--reduce: the same verdicts, outcomes and shortest lengths with fewer states (sc and tso)', async () => {
    for (const memory of ['sc', 'tso']) {
      for (const variant of ['buggy', 'fixed', 'nosync', 'baseline']) {
        const args = ['check', 'power8-cede-small', '--variant', variant, '--memory', memory, '--json'];
        const plain = await cli(...args);
        const reduced = await cli(...args, '--reduce');
        const p = JSON.parse(plain.out);
        const q = JSON.parse(reduced.out);
        const what = { variant, memory };
        expect({ ...what, code: reduced.code, search: q.search }).toEqual({
          ...what,
          code: plain.code,
          search: 'reduced',
        });
        expect(p.search).toBe('plain');
        expect(q.verdict).toBe(p.verdict);
        expect(q.cut).toBe(false);
        expect(q.outcomes).toEqual(p.outcomes);
        expect(q.statesExplored).toBeLessThan(p.statesExplored);
        if (p.violation) {
          expect(q.violation.shortest).toBe(true);
          expect(q.violation.steps).toBe(p.violation.steps);
          expect(q.violation.outcome).toBe(p.violation.outcome);
          expect(q.violation.message).toBe(p.violation.message);
          // the reduced counterexample replays on the reference engine like any other
          const rep = JSON.parse(
            (await cli('replay', q.violation.token, '--engine', 'reference', '--json')).out,
          );
          expect([rep.trial.outcome, rep.trial.steps]).toEqual([q.violation.outcome, q.violation.steps]);
        }
      }
    }
    const text = await cli('check', 'power8-cede-small', '--variant', 'fixed', '--reduce');
    expect(text.code).toBe(0);
    expect(text.out).toMatch(
      /^HOLDS: \d+ states, \d+ transitions, max depth \d+ \(reduced search, SEMANTICS\.md 17\) \(complete\)$/m,
    );
  });

  it('an inconclusive search under power points at idle CPUs and --footprint; under sc at --reduce', async () => {
    const p = await cli('check', 'power8-cede-small', '--memory', 'power', '--max-states', '2000');
    expect(p.code).toBe(3);
    expect(p.out).toMatch(
      /^hint: under power every store propagates to each CPU separately, a CPU that naps through the whole trial included, .*'--footprint'/m,
    );
    const f = await cli(
      'check',
      'power8-cede-small',
      '--memory',
      'power',
      '--max-states',
      '2000',
      '--footprint',
    );
    expect(f.code).toBe(3);
    expect(f.out).not.toMatch(/'--footprint' searches/);
    const s = await cli('check', 'power8-cede', '--max-states', '2000');
    expect(s.code).toBe(3);
    expect(s.out).toMatch(/^hint: '--reduce' explores the same verdicts with fewer states/m);
    const r = await cli('check', 'power8-cede', '--max-states', '2000', '--reduce');
    expect(r.out).not.toMatch(/hint: '--reduce'/);
  });

  it('--reduce with --memory power is refused (NAP052)', async () => {
    const r = await cli('check', 'power8-cede-small', '--memory', 'power', '--reduce');
    expect(r.code).toBe(2);
    expect(r.err).toContain('NAP052');
    expect(r.err).toContain("'--reduce' with '--memory power'");
  });
});

describe('naplab check: progress', () => {
  it('on a terminal, a long search rewrites one progress line on stderr and clears it at the end', async () => {
    let out = '';
    let err = '';
    const io = { out: (t: string) => (out += t), err: (t: string) => (err += t), isTTY: true };
    // 2^20 states is the WebAssembly engine's reporting interval: a search of 1.1M states reports once
    const code = await main(['check', 'power8-cede', '--max-states', '1100000', '--dfs'], io);
    expect(code).toBe(3);
    const clear = '\r\u001b[2K';
    expect(err.startsWith(clear) && err.endsWith(clear)).toBe(true);
    expect(err.slice(clear.length, -clear.length)).toMatch(
      /^check: depth-first search: 1,048,576 states, [\d,]+ transitions, depth \d+, \d+ s$/,
    );
    expect(out).toMatch(/^INCONCLUSIVE: 1100000 states/m);
    // not on a terminal (pipes, CI logs): nothing
    const quiet = await cli('check', 'power8-cede', '--max-states', '1100000', '--dfs');
    expect(quiet.err).toBe('');
  });
});

describe('naplab check --max-memory', () => {
  it('a search that fills the engine memory stops there: inconclusive, with what it found and a hint', async () => {
    const r = await cli('check', 'power8-cede', '--max-memory', '64', '--max-states', '100000000', '--dfs');
    expect(r.code).toBe(3);
    expect(r.out).toMatch(
      /^INCONCLUSIVE: \d+ states, \d+ transitions, max depth \d+ \(the engine ran out of memory: not a proof\)$/m,
    );
    expect(r.out).toMatch(
      /^hint: the search stopped after \d+ states when the WebAssembly engine's memory \(64 MiB\) was full/m,
    );
    expect(r.out).not.toMatch(/raise the bound/);
    const j = JSON.parse(
      (
        await cli(
          'check',
          'power8-cede',
          '--max-memory',
          '64',
          '--max-states',
          '100000000',
          '--dfs',
          '--json',
        )
      ).out,
    );
    expect([j.verdict, j.cut, j.outOfMemory]).toEqual(['inconclusive', true, true]);
    expect(j.statesExplored).toBeGreaterThan(100_000);
  });

  it('is refused with the reference engine (NAP053) and out of range (1..4096)', async () => {
    const ref = await cli('check', 'power8-cede-small', '--engine', 'reference', '--max-memory', '64');
    expect(ref.code).toBe(2);
    expect(ref.err).toContain('NAP053');
    const big = await cli('check', 'power8-cede-small', '--max-memory', '5000');
    expect(big.code).toBe(2);
    expect(big.err).toMatch(/--max-memory/);
  });
});

describe('naplab check --bfs-if-cut --bfs-max-states', () => {
  it('a cut search with no violation gets a lower bound from the breadth-first pass, with its own bound', async () => {
    // power8-cede buggy: the depth-first search is cut at 20,000 states without a lockup; the
    // breadth-first pass, bounded separately, proves how short no violation can be
    const args = [
      'check',
      'power8-cede',
      '--variant',
      'buggy',
      '--reduce',
      '--max-states',
      '20000',
      '--bfs-if-cut',
    ];
    const small = await cli(...args, '--json');
    const big = await cli(...args, '--bfs-max-states', '300000', '--json');
    expect(small.code).toBe(3);
    expect(big.code).toBe(3);
    const a = JSON.parse(small.out);
    const b = JSON.parse(big.out);
    expect([a.statesExplored, b.statesExplored]).toEqual([20_000, 20_000]);
    expect(a.violation).toBeNull();
    expect(a.shortestSearch).toMatchObject({ states: 20_000, cut: true });
    expect(b.shortestSearch).toMatchObject({ states: 300_000, cut: true });
    expect(a.shortestSearch.lowerBound).toBe(a.shortestSearch.depth + 1);
    expect(b.shortestSearch.lowerBound).toBeGreaterThan(a.shortestSearch.lowerBound);
    // the seeds' shrunk lockups (benchmarks/RESULTS.md) are longer than any bound proven
    expect(b.shortestSearch.lowerBound).toBeLessThan(267);
    const text = await cli(...args, '--bfs-max-states', '300000');
    expect(text.out).toContain(
      `shortest pass: 300000 states, every level to depth ${b.shortestSearch.depth} complete (then cut by its bound): no violation has fewer than ${b.shortestSearch.lowerBound} steps`,
    );
    const bad = await cli(...args, '--bfs-max-states', '0');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--bfs-max-states/);
  });

  it("the depth-first search's step-limit schedule is no counterexample: a line and a replay, not 5,000 steps", async () => {
    // the plain search of power8-cede runs a schedule to the 5,000-step limit within 20,000 states
    const text = await cli('check', 'power8-cede', '--variant', 'buggy', '--max-states', '20000', '--dfs');
    expect(text.code).toBe(3);
    expect(text.out).toMatch(/^outcome: limit$/m);
    expect(text.out).toMatch(
      /^not a counterexample: the first schedule in depth-first order that ran 5000 steps \(\d+ scheduler decisions\) without ending/m,
    );
    expect(text.out).toMatch(/^its timeline: pnpm naplab replay np1_\S+ --format text$/m);
    expect(text.out).not.toMatch(/^step +cpu0/m);
    expect(text.out.split('\n').length).toBeLessThan(20);
    // the replay it names shows that schedule
    const replay = /^its timeline: pnpm naplab (replay np1_\S+) --format text$/m
      .exec(text.out)![1]!
      .split(' ');
    const shown = await cli(...replay, '--format', 'text');
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(/end after 5000 steps \(limit\)/);
  });
});

describe('naplab check --max-states: the replay token', () => {
  it('names the scenario image, so the counterexample replays (the bound is not part of a trial)', async () => {
    const r = await cli(
      'check',
      'power8-cede-small',
      '--variant',
      'buggy',
      '--max-states',
      '300000',
      '--json',
    );
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    const replayed = await cli('replay', j.violation.token, '--json');
    expect(replayed.code).toBe(0);
    expect(JSON.parse(replayed.out).trial).toMatchObject({ outcome: 'lockup', steps: j.violation.steps });
  });
});

describe('naplab check --sample-if-cut: a counterexample found by sampling when the search is cut', () => {
  const small = (variant: string, ...more: string[]) => smallPower(variant, '--max-states', '2000', ...more);

  it('buggy and nosync under power: violated, shrunk, replayable, the same from the same seed', async () => {
    for (const variant of ['buggy', 'nosync']) {
      const r = await cli(...small(variant, '--sample-if-cut', '2000', '--json'));
      expect(r.code, variant).toBe(1);
      const j = JSON.parse(r.out);
      expect(j.verdict).toBe('violated');
      expect(j.cut).toBe(true);
      expect(j.statesExplored).toBe(2000);
      expect(j.sampling.seed).toBe(1);
      expect(j.sampling.failing).toBeGreaterThan(0);
      expect(j.sampling.trials % 1000 === 0 || j.sampling.trials === 2000).toBe(true);
      expect(j.violation).toMatchObject({ outcome: 'lockup', foundBy: 'sampling' });
      expect(j.violation.message).toMatch(/^watchdog: CPU 0 detected hard LOCKUP on other CPUs /);
      expect(j.violation.trial).toBe(j.sampling.firstFailingTrial);
      expect(j.violation.steps).toBeLessThanOrEqual(j.violation.shrunk.stepsBefore);
      expect(j.violation.length).toBe(j.violation.schedule.length);
      // the token replays the shrunk schedule to the same lockup, on both engines
      await expectLockupReplays(j.violation, variant);
      // reproducible from the seed
      const again = JSON.parse((await cli(...small(variant, '--sample-if-cut', '2000', '--json'))).out);
      expect(again.violation.schedule).toEqual(j.violation.schedule);
      // another seed samples other trials
      const other = JSON.parse(
        (await cli(...small(variant, '--sample-if-cut', '2000', '--seed', '7', '--json'))).out,
      );
      expect(other.sampling.seed).toBe(7);
    }
  });

  it('the text names the trial and the shrinking, then the timeline and the replay', async () => {
    const r = await cli(...small('buggy', '--sample-if-cut', '1000'));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /^VIOLATED: 2000 states, \d+ transitions, max depth \d+ \(search cut by a bound; the counterexample below was found by sampling\)$/m,
    );
    expect(r.out).toMatch(
      /^counterexample: \d+ steps \(\d+ scheduler decisions\), found by sampling after the search was cut: uniform trial \d+ of seed 1 was the first to fail \(\d+ of the 1000 trials run failed\); the shortest failing trial of that batch, \d+, shrunk from \d+ steps \(\d+ replays\)$/m,
    );
    expect(r.out).toMatch(/cpu0 ksmd/);
    expect(r.out).toMatch(/^replay: pnpm naplab replay np1_\S+$/m);
  });

  it('with --shrink-runs 0 the failing trial is shown as it ran', async () => {
    const r = await cli(...small('buggy', '--sample-if-cut', '1000', '--shrink-runs', '0', '--json'));
    const j = JSON.parse(r.out);
    expect(r.code).toBe(1);
    expect(j.violation.shrunk).toBeUndefined();
    // exactly the first failing trial: the one `replay --seed 1 --trial I` reruns
    const asRun = await cli(
      'replay',
      'power8-cede-small',
      '--variant',
      'buggy',
      '--memory',
      'power',
      '--trial',
      String(j.sampling.firstFailingTrial),
      '--json',
    );
    expect(JSON.parse(asRun.out).trial).toMatchObject({ outcome: 'lockup', schedule: j.violation.schedule });
  });

  it('no failing trial: inconclusive, and says so (not a proof)', async () => {
    const r = await cli(...small('fixed', '--sample-if-cut', '300'));
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/^INCONCLUSIVE: 2000 states/m);
    expect(r.out).toContain('sampling: 300 uniform trials of seed 1, none failed (not a proof)');
    expect(r.out).toContain("'--sample-if-cut 3000'");
    const j = JSON.parse((await cli(...small('fixed', '--sample-if-cut', '300', '--json'))).out);
    expect(j.sampling).toEqual({ seed: 1, trials: 300, failing: 0 });
    expect(j.violation).toBeNull();
  });

  it('a search that finds the violation itself samples nothing', async () => {
    const r = await cli(
      'check',
      'power8-cede-core',
      '--variant',
      'buggy',
      '--memory',
      'power',
      '--sample-if-cut',
      '1000',
      '--json',
    );
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.sampling).toBeUndefined();
    expect(j.violation.foundBy).toBe('search');
    expect(j.violation.shortest).toBe(true);
  });

  it('a bad count exits 2', async () => {
    const r = await cli(...small('buggy', '--sample-if-cut', '0'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--sample-if-cut/);
  });
});

describe('naplab check --checkpoint / --resume: a long search saved and continued', () => {
  const dir = mkdtempSync(join(tmpdir(), 'naplab-ckpt-'));
  const core = (...more: string[]) => [
    'check',
    'power8-cede-core',
    '--variant',
    'fixed',
    '--memory',
    'power',
    ...more,
  ];

  it('cut by --max-states, saved, continued with --resume: the counts of the search run at once', async () => {
    const file = join(dir, 'core.ckpt');
    const whole = JSON.parse((await cli(...core('--json'))).out);
    expect(whole).toMatchObject({ verdict: 'holds', cut: false });
    const cut = await cli(...core('--max-states', '40000', '--checkpoint', file));
    expect(cut.code).toBe(3);
    expect(cut.err).toContain(`check: checkpoint: 40,000 states saved to ${file}`);
    expect(cut.out).toContain(
      `continue it with a higher bound: 'pnpm naplab check power8-cede-core --variant fixed --memory power --resume ${file} --max-states 400000'`,
    );
    expect(existsSync(file)).toBe(true);
    // a second leg, cut again, then the rest
    const mid = JSON.parse((await cli(...core('--max-states', '90000', '--resume', file, '--json'))).out);
    expect(mid).toMatchObject({ verdict: 'inconclusive', statesExplored: 90_000 });
    expect(mid.checkpoint).toMatchObject({
      file,
      atBound: true,
      removed: false,
      resumedFrom: { states: 40_000 },
    });
    const rest = await cli(...core('--resume', file, '--json'));
    expect(rest.code).toBe(0);
    const j = JSON.parse(rest.out);
    expect(j).toMatchObject({
      verdict: 'holds',
      statesExplored: whole.statesExplored,
      transitions: whole.transitions,
      maxDepth: whole.maxDepth,
      cut: false,
    });
    expect(j.checkpoint).toMatchObject({ removed: true, resumedFrom: { states: 90_000 } });
    expect(existsSync(file)).toBe(false);
  });

  it('a violation found before the checkpoint is kept: buggy resumes to the same counterexample', async () => {
    const file = join(dir, 'buggy.ckpt');
    const args = ['check', 'power8-cede-core', '--variant', 'buggy', '--memory', 'power', '--dfs'];
    const whole = JSON.parse((await cli(...args, '--json')).out);
    expect(whole.verdict).toBe('violated');
    await cli(...args, '--max-states', '100000', '--checkpoint', file);
    const rest = JSON.parse((await cli(...args, '--resume', file, '--json')).out);
    expect(rest.verdict).toBe('violated');
    expect(rest.statesExplored).toBe(whole.statesExplored);
    expect(rest.violation.schedule).toEqual(whole.violation.schedule);
  });

  it('refuses a checkpoint of another search, a damaged file, and the reference engine', async () => {
    const file = join(dir, 'other.ckpt');
    await cli(...core('--max-states', '5000', '--checkpoint', file));
    const other = await cli(
      'check',
      'power8-cede-core',
      '--variant',
      'buggy',
      '--memory',
      'power',
      '--resume',
      file,
    );
    expect(other.code).toBe(2);
    expect(other.err).toMatch(
      /error\[NAP056\].*checkpoint of another search: its variant "fixed" \(here "buggy"\)/,
    );
    const model = await cli(
      'check',
      'power8-cede-core',
      '--variant',
      'fixed',
      '--memory',
      'tso',
      '--resume',
      file,
    );
    expect(model.err).toMatch(/NAP056.*memory "power" \(here "tso"\)/);
    // one byte changed in the visited hashes: the checksum says so
    const bytes = readFileSync(file);
    const flipped = join(dir, 'flipped.ckpt');
    bytes[bytes.length - 9] = bytes[bytes.length - 9]! ^ 0xff;
    writeFileSync(flipped, bytes);
    const bad = await cli(...core('--resume', flipped));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/error\[NAP055\].*checksum does not match/);
    // cut short: the byte where it ends
    const short = join(dir, 'short.ckpt');
    writeFileSync(short, bytes.subarray(0, bytes.length - 100));
    const s = await cli(...core('--resume', short));
    expect(s.err).toMatch(/NAP055.*\(byte \d+\).*bytes where its header says/);
    writeFileSync(short, 'hello');
    expect((await cli(...core('--resume', short))).err).toMatch(
      /NAP055.*(ends inside the file head|does not start with NAPCKPT1)/,
    );
    const missing = await cli(...core('--resume', join(dir, 'nope.ckpt')));
    expect(missing.err).toMatch(/NAP055.*cannot read the checkpoint/);
    const ref = await cli(...core('--engine', 'reference', '--checkpoint', join(dir, 'r.ckpt')));
    expect(ref.code).toBe(2);
    expect(ref.err).toMatch(/NAP054/);
    // nothing was lost: the good checkpoint still resumes
    expect((await cli(...core('--resume', file))).code).toBe(0);
    // a checkpoint that cannot be written is a warning: the search it was for still ends and reports
    const unwritable = await cli(
      ...core('--max-states', '5000', '--checkpoint', join(dir, 'no', 'such', 'x.ckpt'), '--json'),
    );
    expect(unwritable.code).toBe(3);
    expect(unwritable.err).toMatch(
      /naplab: warning\[NAP057\]: cannot write the checkpoint .*; the search goes on without it/,
    );
    expect(JSON.parse(unwritable.out)).toMatchObject({
      verdict: 'inconclusive',
      statesExplored: 5000,
      checkpoint: { saves: 0, failedSaves: 1, removed: false },
    });
  });
});

describe('naplab check --footprint: power8-cede-small under power, exhaustively (issue #6)', () => {
  const fp = (variant: string, ...more: string[]) => smallPower(variant, '--footprint', ...more);

  it('baseline and fixed hold: complete searches of the abstraction', async () => {
    for (const variant of ['baseline', 'fixed']) {
      const r = await cli(...fp(variant, '--json'));
      expect(r.code, variant).toBe(0);
      const j = JSON.parse(r.out);
      expect(j).toMatchObject({ verdict: 'holds', search: 'footprint', cut: false, violation: null });
      expect(j.outcomes).toEqual({ ok: 1, lockup: 0, lost: 0, assert: 0, limit: 0 });
      expect(j.statesExplored).toBeGreaterThan(100_000);
      expect(j.abstraction.kind).toBe('footprint');
      expect(j.abstraction.searches).toBeGreaterThan(1);
      // the offline CPU 1 naps throughout: it touches nothing; ksmd's CPU 0 only a few cells
      expect(j.abstraction.footprint[1]).toEqual([]);
      expect(j.abstraction.footprint[0]).toContain('CSD_FLAGS@cpu2');
      expect(j.abstraction.footprint[0].length).toBeLessThan(5);
      expect(j.sampling).toBeUndefined();
    }
    const text = await cli(...fp('fixed'));
    expect(text.out).toMatch(
      /^HOLDS: \d+ states, \d+ transitions, max depth \d+ \(complete search of the footprint abstraction, which has every outcome of the power model within the limits of SEMANTICS.md 18.3: a proof\)$/m,
    );
    expect(text.out).toMatch(
      /^footprint \(found in \d+ searches, \d+ states in all\): cpu0\(ksmd\) .*; cpu1\(offline\) none; /m,
    );
  }, 120_000);

  it("buggy and nosync: the abstraction's violation, followed in the power model, is a replayable counterexample", async () => {
    for (const variant of ['buggy', 'nosync']) {
      const r = await cli(...fp(variant, '--json'));
      expect(r.code, variant).toBe(1);
      const j = JSON.parse(r.out);
      expect(j).toMatchObject({ verdict: 'violated', search: 'footprint', cut: false });
      expect(j.abstraction.violation).toMatchObject({ outcome: 'lockup', confirmed: 'followed' });
      expect(j.abstraction.violation.message).toMatch(/^watchdog: CPU 0 detected hard LOCKUP on other CPUs /);
      expect(j.violation).toMatchObject({ outcome: 'lockup', foundBy: 'abstraction' });
      expect(j.violation.message).toBe(j.abstraction.violation.message);
      expect(j.sampling).toBeUndefined();
      // a schedule of the power model: both engines replay it to the same lockup
      await expectLockupReplays(j.violation, variant);
    }
    const text = await cli(...fp('buggy'));
    expect(text.out).toMatch(
      /^VIOLATED: .*the counterexample below is one of the power model itself, the abstraction's followed there\)$/m,
    );
    expect(text.out).toMatch(
      /^counterexample: \d+ steps \(\d+ scheduler decisions\) of the power model: the abstraction's shortest violation followed there/m,
    );
    expect(text.out).toMatch(/^replay: pnpm naplab replay np1_\S+$/m);
  }, 180_000);

  it('power8-cede-core: the same verdicts as the plain search, and its shortest violations', async () => {
    for (const variant of ['buggy', 'nosync', 'fixed']) {
      const plain = JSON.parse(
        (await cli('check', 'power8-cede-core', '--variant', variant, '--memory', 'power', '--json')).out,
      );
      const abs = JSON.parse(
        (
          await cli(
            'check',
            'power8-cede-core',
            '--variant',
            variant,
            '--memory',
            'power',
            '--footprint',
            '--json',
          )
        ).out,
      );
      expect(abs.verdict, variant).toBe(plain.verdict);
      expect(abs.statesExplored).toBeLessThan(plain.statesExplored / 2);
      if (plain.violation) {
        expect(abs.violation.outcome).toBe(plain.violation.outcome);
        expect(abs.violation.message).toBe(plain.violation.message);
        // followed from the abstraction's shortest violation, it is as short as the plain one
        expect(abs.violation.steps, variant).toBe(plain.violation.steps);
      }
    }
  }, 120_000);

  it('refusals: not under sc or tso (NAP058), not with checkpoints (NAP059)', async () => {
    const sc = await cli('check', 'power8-cede-small', '--footprint');
    expect(sc.code).toBe(2);
    expect(sc.err).toMatch(/NAP058/);
    const ck = await cli(...fp('fixed', '--checkpoint', join(tmpdir(), 'naplab-fp.ckpt')));
    expect(ck.code).toBe(2);
    expect(ck.err).toMatch(/NAP059/);
  });
});
