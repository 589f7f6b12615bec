/**
 * The README's example is examples/quickstart.mjs verbatim, and its printed output is what the
 * example prints (through the built package entry, as a user would run it).
 */
import { describe, expect, it } from 'vitest';
import { checkReadmeExample } from '../../../test-support/readme-example.js';

describe('README', () => {
  it('shows examples/quickstart.mjs verbatim, with what it prints', () => {
    const out = checkReadmeExample(new URL('../', import.meta.url));
    // the parts a reader checks by eye
    expect(out).toContain('#      2  HSTATE_HWTHREAD_REQ@cpu1 = 1  (cpu 1)');
    expect(out).toContain('0:r3=0; 1:r3=1;\nforbidden\n');
  });
});
