import type { Outcome } from '@naplab/isa';

/** A progress report. `done` and `total` count trials of this job's range (resumed ones included). */
export interface Progress {
  done: number;
  total: number;
  /** trials per second in this session (monotonic clock) */
  rate: number;
  /** non-ok trials so far */
  failures: number;
  outcomes: Record<Outcome, number>;
  /** null until a rate is known */
  etaSeconds: number | null;
  /** seconds since this session started */
  elapsedSeconds: number;
}

const UNITS = ['', 'k', 'M', 'G', 'T'];

/** 950 -> `950`, 1234 -> `1.2k`, 410_000 -> `410k`, 2_000_000 -> `2.0M`. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '?';
  if (Math.abs(n) < 1000) return String(Math.round(n));
  let u = 0;
  let v = n;
  while (Math.abs(v) >= 1000 && u < UNITS.length - 1) {
    v /= 1000;
    u++;
  }
  let text = Math.abs(v) < 100 ? v.toFixed(1) : v.toFixed(0);
  if (text === '1000' && u < UNITS.length - 1) {
    text = '1.0';
    u++;
  }
  return `${text}${UNITS[u]}`;
}

/** 2 -> `2s`, 65 -> `1m05s`, 7380 -> `2h03m`. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * One line: `1.2M/2.0M trials  61%  410k/s  lockups 37  ETA 2s`. Other non-ok outcomes (lost,
 * assert, limit) are appended when they occur; the percentage rounds down, so 100% means done.
 */
export function formatProgress(p: Progress): string {
  const pct = p.total > 0 ? Math.floor((100 * p.done) / p.total) : 100;
  const parts = [
    `${formatCount(p.done)}/${formatCount(p.total)} trials`,
    `${pct}%`,
    `${formatCount(p.rate)}/s`,
    `lockups ${p.outcomes.lockup}`,
  ];
  for (const o of ['lost', 'assert', 'limit'] as const)
    if (p.outcomes[o] > 0) parts.push(`${o} ${p.outcomes[o]}`);
  parts.push(
    p.done >= p.total ? `done in ${formatDuration(p.elapsedSeconds)}` : `ETA ${formatDuration(p.etaSeconds)}`,
  );
  return parts.join('  ');
}
