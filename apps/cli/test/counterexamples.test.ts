/**
 * Counterexamples people can read (issue #8): the shortest violation of `check`, its timeline,
 * the round trip fail -> token -> replay on both engines -> the identical trace, shrinking in
 * `run`, and the timeline formats of `replay`.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

/** Each regex must match after the previous one's match, in `text`. */
function inOrder(text: string, res: RegExp[]): void {
  let at = 0;
  for (const re of res) {
    const m = re.exec(text.slice(at));
    expect(m, `${re} after offset ${at}`).not.toBeNull();
    at += m!.index + m![0].length;
  }
}

/** The lane (column) a timeline row writes in: the text column's index for `cpu` in the header. */
function laneText(out: string, cpu: number): string {
  const lines = out.split('\n');
  const head = lines.findIndex((l) => /^\s*step\s+cpu0 /.test(l));
  expect(head).toBeGreaterThanOrEqual(0);
  const start = lines[head]!.indexOf(`cpu${cpu} `);
  const next = lines[head]!.indexOf(`cpu${cpu + 1} `);
  const end = lines.findIndex((l, i) => i > head && l === '');
  return lines
    .slice(head + 2, end)
    .map((l) => l.slice(start, next < 0 ? undefined : next).trim())
    .filter((t) => t.length > 1)
    .join(' ');
}

describe('check: the shortest violation and its timeline', () => {
  it('power8-cede-small buggy: a shortest violation whose timeline shows the chain of PROTOCOL section 4', async () => {
    const r = await cli('check', 'power8-cede-small', '--variant', 'buggy');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /counterexample: 145 steps \(147 scheduler decisions\), SHORTEST: no violating schedule has fewer steps \(breadth-first search, \d+ states/,
    );
    // the primary is cpu2: its lane, in order
    const primary = laneText(r.out, 2);
    inOrder(primary, [
      /primary enters the guest; nothing on this path writes its hwthread_state \[hwthread_state = IN_KERNEL\]/,
      /guest cedes \(H_CEDE\)/,
      /kvm_do_nap\+1: hwthread_req = 1/,
      /kvm_do_nap\+5: nap/,
      /wakes \((external|doorbell|decrementer)\) -> system reset/,
      /hwthread_state -> IN_KERNEL/,
      /hwthread_state already IN_KERNEL: store, sync and the hwthread_req test skipped/,
      /host-idle return \(pnv_wakeup_loss\)/,
      /stale host-idle return/,
      /LOST: pnv_wakeup_loss returned through a stale PACAR1 frame/,
    ]);
    // then how it ended: ksmd waits for the lost primary, and the watchdog line
    const tail = r.out.slice(r.out.indexOf('end after 145 steps (lockup):'));
    inOrder(tail, [
      /cpu0 ksmd: waits forever until csd\.flags@cpu2 == 0, for cpu2 \(primary\)/,
      /cpu2 primary: lost/,
      /\nwatchdog: CPU 0 detected hard LOCKUP on other CPUs 2\n/,
    ]);
    expect(r.out).toMatch(/replay: pnpm naplab replay np1_/);
  });

  it('both engines report the same shortest schedule (the reference engine is the oracle)', async () => {
    const w = JSON.parse((await cli('check', 'power8-cede-small', '--variant', 'buggy', '--json')).out);
    const ref = JSON.parse(
      (await cli('check', 'power8-cede-small', '--variant', 'buggy', '--engine', 'reference', '--json')).out,
    );
    expect(w.violation.shortest).toBe(true);
    expect(w.violation.steps).toBe(145);
    expect(ref.violation.schedule).toEqual(w.violation.schedule);
    expect([ref.violation.shortestStates, ref.violation.steps]).toEqual([
      w.violation.shortestStates,
      w.violation.steps,
    ]);
    // --dfs keeps the first depth-first violation
    const dfs = JSON.parse(
      (await cli('check', 'power8-cede-small', '--variant', 'buggy', '--dfs', '--json')).out,
    );
    expect(dfs.violation.shortest).toBe(false);
    expect(dfs.violation.length).toBe(147);
  }, 120_000);
});

describe('round trip: fail -> token -> replay on both engines -> the identical trace', () => {
  it('exhaustive (check) and random (run, shrunk) failures', async () => {
    const check = JSON.parse((await cli('check', 'power8-cede-small', '--variant', 'buggy', '--json')).out);
    const run = JSON.parse(
      (
        await cli(
          'run',
          'power8-cede-small',
          '--variant',
          'buggy',
          '--trials',
          '400',
          '--workers',
          '1',
          '--json',
        )
      ).out,
    );
    expect(run.shrunk).not.toBeNull();
    const tokens: [string, number[]][] = [
      [check.violation.token, check.violation.schedule],
      [run.shrunk.token, run.shrunk.schedule],
    ];
    for (const [token, schedule] of tokens) {
      const a = JSON.parse((await cli('replay', token, '--json')).out);
      const b = JSON.parse((await cli('replay', token, '--engine', 'reference', '--json')).out);
      expect(a.enginesAgree).toBe(true);
      expect(b.enginesAgree).toBe(true);
      expect(a.trial.schedule).toEqual(schedule);
      expect(a.trial).toEqual(b.trial);
      expect(a.trial.outcome).toBe('lockup');
      // the trace, as the kernel-level timeline and as the full step list, is identical
      expect(a.timeline).toEqual(b.timeline);
      const ta = await cli('replay', token, '--all-steps');
      const tb = await cli('replay', token, '--all-steps', '--engine', 'reference');
      expect(ta.out.replace(/engine \w+/, '')).toBe(tb.out.replace(/engine \w+/, ''));
      expect(ta.out.split('\n').length).toBeGreaterThan(100);
    }
  });
});

describe('run: a random-mode failure is shrunk', () => {
  it('prints the shrunk length and its token; the shrunk schedule is no longer and fails the same way', async () => {
    const r = await cli(
      'run',
      'power8-cede-small',
      '--variant',
      'buggy',
      '--trials',
      '300',
      '--workers',
      '1',
    );
    expect(r.code).toBe(0);
    const m =
      /shrunk: trial (\d+) \(lockup\) (\d+) -> (\d+) steps \((\d+) -> (\d+) decisions, \d+ replays\)\n {2}replay: (pnpm naplab replay np1_\S+)/.exec(
        r.out,
      );
    expect(m, r.out).not.toBeNull();
    expect(Number(m![3])).toBeLessThanOrEqual(Number(m![2]));
    // never shorter than the exhaustive shortest (145 steps)
    expect(Number(m![3])).toBeGreaterThanOrEqual(145);
    const replay = await cli(...m![6]!.split(' ').slice(2), '--json');
    const t = JSON.parse(replay.out).trial;
    expect([t.outcome, t.steps, t.detail.message]).toEqual([
      'lockup',
      Number(m![3]),
      'watchdog: CPU 0 detected hard LOCKUP on other CPUs 2',
    ]);
  });
});

describe('replay timelines', () => {
  it('--format svg and html draw the lanes and the watchdog line; --out writes a file; a token file works', async () => {
    const check = JSON.parse((await cli('check', 'power8-cede-small', '--variant', 'buggy', '--json')).out);
    const dir = mkdtempSync(join(tmpdir(), 'naplab-cex-'));
    const tokenFile = join(dir, 'cex.token');
    writeFileSync(tokenFile, `${check.violation.token}\n`);
    const svg = await cli('replay', tokenFile, '--format', 'svg');
    expect(svg.code).toBe(0);
    expect(svg.out).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    for (const lane of ['cpu0 ksmd', 'cpu1 offline', 'cpu2 primary', 'cpu3 secondary'])
      expect(svg.out).toContain(`>${lane}</text>`);
    expect(svg.out).toContain('watchdog: CPU 0 detected hard LOCKUP on other CPUs 2</text>');
    // doorbells are arrows from one lane to another
    expect(svg.out).toMatch(/data-kind="doorbell"[^>]*>.*?marker-end="url\(#nl-arrow\)"/);
    const page = join(dir, 'cex.html');
    const html = await cli('replay', check.violation.token, '--format', 'html', '--out', page);
    expect([html.code, html.out]).toEqual([0, '']);
    const text = readFileSync(page, 'utf8');
    expect(text).toMatch(/^<!doctype html>/);
    expect(text).toContain('<p class="watchdog">watchdog: CPU 0 detected hard LOCKUP on other CPUs 2</p>');
    expect(text).not.toMatch(/<script/);
    // --detail adds the instruction-level rows
    const brief = await cli('replay', check.violation.token, '--format', 'text');
    const detail = await cli('replay', check.violation.token, '--format', 'text', '--detail');
    expect(detail.out.split('\n').length).toBeGreaterThan(brief.out.split('\n').length);
    expect(laneText(detail.out, 2)).toContain('kvm_do_nap+1: stw r0,1(r13) ; hwthread_req = 1');
  });

  it('--out to a directory that does not exist is a clear error', async () => {
    const check = JSON.parse((await cli('check', 'power8-cede-small', '--variant', 'buggy', '--json')).out);
    const r = await cli(
      'replay',
      check.violation.token,
      '--format',
      'svg',
      '--out',
      '/nonexistent-dir/x.svg',
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain('NAP050');
    expect(r.err).toContain("cannot write '/nonexistent-dir/x.svg'");
  });
});

describe('replay --litmus: the memory-ordering pattern behind a violation', () => {
  it("nosync under tso: a store-buffering test that naplab's litmus command finds allowed under tso, forbidden under sc", async () => {
    const check = JSON.parse(
      (await cli('check', 'power8-cede-small', '--variant', 'nosync', '--memory', 'tso', '--json')).out,
    );
    expect(check.verdict).toBe('violated');
    const dir = mkdtempSync(join(tmpdir(), 'naplab-litmus-'));
    const file = join(dir, 'nosync.litmus');
    const r = await cli('replay', check.violation.token, '--litmus', file);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`SB+sync+po written to ${file}\n`);
    // the primary grabs (stores hwthread_req, sync, reads hwthread_state), the secondary wakes
    // (stores hwthread_state, no sync, reads hwthread_req): PROTOCOL section 5
    expect(r.err).toContain(
      'P0 = cpu2(primary): stores HSTATE_HWTHREAD_REQ_cpu3 = 1 (step 37), sync, loads HSTATE_HWTHREAD_STATE_cpu3 -> 1',
    );
    expect(r.err).toContain(
      'P1 = cpu3(secondary): stores HSTATE_HWTHREAD_STATE_cpu3 = 0 (step 17), no barrier, loads HSTATE_HWTHREAD_REQ_cpu3 -> 0',
    );
    expect(r.err).toContain('naplab litmus: forbidden under sc, allowed under tso');
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^PPC SB\+sync\+po\n/);
    expect(text).toContain('exists\n(0:r3=1 /\\ 1:r3=0)\n');
    const tso = JSON.parse((await cli('litmus', file, '--memory', 'tso', '--json')).out);
    const sc = JSON.parse((await cli('litmus', file, '--memory', 'sc', '--json')).out);
    const power = JSON.parse(
      (await cli('litmus', file, '--memory', 'power', '--engine', 'reference', '--json')).out,
    );
    expect([tso[0].verdict, sc[0].verdict, power[0].verdict]).toEqual(['allowed', 'forbidden', 'allowed']);
    // '-' prints the test itself
    const out = await cli('replay', check.violation.token, '--litmus', '-');
    expect(out.out).toBe(text);
  });

  it('nosync under power (a sampled violation): the same store-buffering shape, allowed under power', async () => {
    // 2,000 uniform trials of seed 1 under power give 2 lockups; the run shrinks the first
    const run = JSON.parse(
      (
        await cli(
          'run',
          'power8-cede-small',
          '--variant',
          'nosync',
          '--memory',
          'power',
          '--trials',
          '2000',
          '--seed',
          '1',
          '--json',
        )
      ).out,
    );
    expect(run.outcomes.lockup).toBeGreaterThan(0);
    const dir = mkdtempSync(join(tmpdir(), 'naplab-litmus-power-'));
    const file = join(dir, 'nosync-power.litmus');
    const r = await cli('replay', run.shrunk.token, '--litmus', file);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`SB+sync+po written to ${file}\n`);
    expect(r.err).toMatch(
      /P0 = cpu2\(primary\): stores HSTATE_HWTHREAD_REQ_cpu3 = 1 \(step \d+\), sync, loads HSTATE_HWTHREAD_STATE_cpu3 -> 1/,
    );
    expect(r.err).toMatch(
      /P1 = cpu3\(secondary\): stores HSTATE_HWTHREAD_STATE_cpu3 = 0 \(step \d+\), no barrier, loads HSTATE_HWTHREAD_REQ_cpu3 -> 0/,
    );
    expect(r.err).toContain('naplab litmus: forbidden under sc, allowed under tso, allowed under power');
    expect(r.err).toContain(`litmus ${file} --memory power`);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('memory power, lockup after');
    const power = JSON.parse((await cli('litmus', file, '--memory', 'power', '--json')).out);
    expect(power[0].verdict).toBe('allowed');
    // the step list and the timeline speak of POWER's storage subsystem, not of a store buffer
    const steps = (await cli('replay', run.shrunk.token, '--format', 'steps')).out;
    expect(steps).toMatch(/HSTATE_HWTHREAD_REQ@cpu3 = 1 \(committed: propagates to each cpu separately\)/);
    expect(steps).toMatch(/propagates to cpu\d\(\w+\): /);
    const lanes = (await cli('replay', run.shrunk.token, '--format', 'text')).out;
    expect(lanes).toMatch(/sees [\w@]+ = \w+ \(propagated\)/);
    for (const out of [steps, lanes]) expect(out).not.toMatch(/store buffer/);
  });

  it('a violation that happens under sc has no such pattern: a clear error', async () => {
    const check = JSON.parse((await cli('check', 'power8-cede-small', '--variant', 'buggy', '--json')).out);
    const r = await cli('replay', check.violation.token, '--litmus', '-');
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      'error[NAP051]: no store-buffering pattern: under sc every store is visible at once',
    );
  });
});
