/**
 * The model is data: edit one instruction of the fix (wakeup/fixed.s) through the custom wakeup
 * file option and the bug is back. The edit sends the IN_KERNEL case to the host-idle return
 * (`b 1b`) instead of the hwthread_req test (`b 0b`): exactly 8c1c7fb0b5ec.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wakeupSource } from './index.js';
import { EXPLORE_TIMEOUT, explored } from './trace.test-helpers.js';

describe('fixed.s with one instruction changed', () => {
  it(
    'locks up again',
    () => {
      const fixed = wakeupSource('fixed').text;
      const lines = fixed.split('\n');
      const target = lines.findIndex((l) => l.trim() === 'b\t0b');
      expect(target).toBeGreaterThan(0);
      lines[target] = '\tb\t1b';
      const file = join(mkdtempSync(join(tmpdir(), 'naplab-edit-')), 'fixed-edited.s');
      writeFileSync(file, lines.join('\n'));

      // (the unedited file through the same option compiles to the shipped fixed variant, which
      // holds: compile.test.ts and exhaustive-holds.test.ts)
      const { result } = explored(undefined, 'sc', { wakeupFile: file });
      expect(result.holds).toBe(false);
      expect(result.violation?.outcome).toBe('lockup');
      expect(result.violation?.detail.message).toBe('watchdog: CPU 0 detected hard LOCKUP on other CPUs 2');
    },
    EXPLORE_TIMEOUT,
  );
});
