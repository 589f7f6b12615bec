import { describe, expect, it } from 'vitest';
import { formatCount, formatDuration, formatProgress, type Progress } from './progress.js';

describe('progress formatting', () => {
  it('formats counts with k/M/G suffixes', () => {
    expect([0, 950, 1234, 99_949, 410_000, 999_999, 2_000_000, 1.5e9].map(formatCount)).toEqual([
      '0',
      '950',
      '1.2k',
      '99.9k',
      '410k',
      '1.0M',
      '2.0M',
      '1.5G',
    ]);
  });

  it('formats durations', () => {
    expect([0, 2.4, 59.6, 65, 3599, 7380].map(formatDuration)).toEqual([
      '0s',
      '2s',
      '1m00s',
      '1m05s',
      '59m59s',
      '2h03m',
    ]);
    expect(formatDuration(null)).toBe('?');
  });

  const p: Progress = {
    done: 1_220_000,
    total: 2_000_000,
    rate: 410_000,
    failures: 37,
    outcomes: { ok: 1_219_963, lockup: 37, lost: 0, assert: 0, limit: 0 },
    etaSeconds: 1.9,
    elapsedSeconds: 3,
  };

  it('prints one line', () => {
    expect(formatProgress(p)).toBe('1.2M/2.0M trials  61%  410k/s  lockups 37  ETA 2s');
  });

  it('shows other failure kinds when present, and the total time when done', () => {
    const done = {
      ...p,
      done: 2_000_000,
      failures: 40,
      outcomes: { ...p.outcomes, lost: 2, limit: 1 },
      etaSeconds: 0,
      elapsedSeconds: 65,
    };
    expect(formatProgress(done)).toBe(
      '2.0M/2.0M trials  100%  410k/s  lockups 37  lost 2  limit 1  done in 1m05s',
    );
    expect(formatProgress({ ...p, done: 1_999_999 })).toContain('  99%  ');
  });
});
