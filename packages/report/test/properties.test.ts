import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  buildCompareReport,
  parseCompareReport,
  renderHtml,
  renderMarkdown,
  renderTable,
  reportToJSON,
  type VariantInput,
} from '../src/index.js';

const text = fc.string({
  unit: fc.constantFrom('<', '>', '"', "'", '&', '`', '|', '\n', '\u001b', 'a', ' ', '/', ']', '*', 'é'),
});

const variant = (name: string): fc.Arbitrary<VariantInput> =>
  fc
    .record({
      label: text,
      ok: fc.nat(1_000_000),
      lockup: fc.nat(1_000),
      limit: fc.nat(10),
      wakeups: fc.nat(2_000_000),
      syncShare: fc.double({ min: 0, max: 1, noNaN: true }),
      mean: fc.integer({ min: 1, max: 500 }),
      keepFailure: fc.boolean(),
      schedule: fc.array(fc.nat(7), { maxLength: 30 }),
      message: text,
    })
    .filter((v) => v.ok + v.lockup + v.limit > 0)
    .map((v) => {
      const trials = v.ok + v.lockup + v.limit;
      const wakeupSyncs = Math.floor(v.wakeups * v.syncShare);
      const input: VariantInput = {
        variant: name,
        label: v.label,
        wakeupSource: v.label,
        outcomes: { ok: v.ok, lockup: v.lockup, lost: 0, assert: 0, limit: v.limit },
        steps: v.mean * trials,
        stepsSq: (v.mean * v.mean + 4) * trials,
        syncs: wakeupSyncs,
        wakeups: v.wakeups,
        wakeupSyncs,
      };
      if (v.keepFailure && trials > v.ok)
        input.failure = {
          outcome: v.lockup > 0 ? 'lockup' : 'limit',
          message: v.message,
          trial: 0,
          seed: 1,
          schedule: v.schedule,
          replayCommand: `naplab replay ${v.message}`,
          timeline: v.message,
        };
      return input;
    });

const report = fc
  .record({ a: variant('baseline'), b: variant('buggy'), name: text, description: text, seed: fc.nat() })
  .map(({ a, b, name, description, seed }) =>
    buildCompareReport({
      naplabVersion: '0.1.0',
      scenario: { name, description },
      memory: 'tso',
      scheduler: 'uniform',
      engine: 'wasm',
      seed,
      trialsPerVariant: Math.max(a.outcomes.ok, b.outcomes.ok),
      command: `naplab compare ${name}`,
      variants: [a, b],
    }),
  );

describe('properties', () => {
  test('every built report survives JSON: parse(toJSON(r)) equals r', () => {
    fc.assert(
      fc.property(report, (r) => {
        expect(parseCompareReport(reportToJSON(r))).toEqual(r);
      }),
      { numRuns: 200 },
    );
  });

  test('intervals contain their estimates and stay in [0, 1]', () => {
    fc.assert(
      fc.property(report, (r) => {
        for (const v of r.variants) {
          for (const x of [v.lockupRate, v.failureRate, v.syncsPerWakeup, v.skipSyncRate]) {
            if (!x) continue;
            expect(x.lower).toBeGreaterThanOrEqual(0);
            expect(x.upper).toBeLessThanOrEqual(1);
            expect(x.lower).toBeLessThanOrEqual(x.estimate);
            expect(x.estimate).toBeLessThanOrEqual(x.upper);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  test('no user string can inject markup or terminal control sequences', () => {
    fc.assert(
      fc.property(report, (r) => {
        const html = renderHtml(r);
        const body = html.replace(/<style>[\s\S]*?<\/style>/, '');
        const tags = [...body.matchAll(/<\/?([A-Za-z][A-Za-z0-9-]*)/g)].map((m) => m[1]);
        const allowed =
          /^(html|head|meta|title|style|body|header|h[123]|p|dl|dt|dd|pre|code|main|section|table|thead|tbody|tr|th|td|figure|figcaption|svg|g|line|text|circle|path|rect|article|details|summary|ul|li|span|a|footer)$/;
        for (const t of tags) expect(t).toMatch(allowed);
        // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for them
        expect(renderTable(r)).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
        // table rows are outside code blocks (a command may hold a line that starts with "| ")
        const md = renderMarkdown(r).replace(/^(`{3,}).*\n[\s\S]*?^\1$/gm, '');
        const rows = md.split('\n').filter((l) => l.startsWith('| '));
        for (const row of rows.slice(0, 4)) expect(row.split(/(?<!\\)\|/).length).toBe(9);
      }),
      { numRuns: 200 },
    );
  });
});
