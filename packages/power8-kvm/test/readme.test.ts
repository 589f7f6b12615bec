/**
 * The README's example is examples/quickstart.mjs verbatim, and its printed output is what the
 * example prints (through the built package entry, as a user would run it).
 */
import { describe, expect, it } from 'vitest';
import { checkReadmeExample } from '../../../test-support/readme-example.js';

describe('README', () => {
  it('shows examples/quickstart.mjs verbatim, with what it prints', () => {
    const out = checkReadmeExample(new URL('../', import.meta.url));
    expect(out).toContain('detected hard LOCKUP on other CPUs 4');
    expect(out).toContain('hwthread_req test skipped');
  });
});
