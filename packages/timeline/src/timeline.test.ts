import { readFileSync } from 'node:fs';
import { litmusToImage, parseLitmus } from '@naplab/asm';
import { replayTrial, type TraceEvent } from '@naplab/engine-ref';
import { describe, expect, it } from 'vitest';
import { buildTimeline, renderTimelineHtml, renderTimelineSvg, renderTimelineText } from './index.js';

const sbImage = () =>
  litmusToImage(
    parseLitmus('SB.litmus', readFileSync(new URL('../../../litmus/SB.litmus', import.meta.url), 'utf8')),
  );

/** SB under tso, both loads stale: P0 li stw, P1 li stw, P0 lwz, P1 lwz, halts, drains. */
function sbTimeline(image = sbImage()) {
  const events: TraceEvent[] = [];
  const result = replayTrial(image, 'tso', [0, 1, 0, 1, 0, 1, 0, 1, 2, 3], (e) => events.push(e));
  return buildTimeline(image, events, { result, message: '' });
}

describe('timeline (no vocabulary: every named cell)', () => {
  it('lists the kernel-level events per lane in step order, and how each lane ended', () => {
    const t = sbTimeline();
    expect(t.lanes.map((l) => [l.cpu, l.name, l.start, l.end, l.endText])).toEqual([
      [0, 'P0', 'running', 'halted', 'halted'],
      [1, 'P1', 'running', 'halted', 'halted'],
    ]);
    const key = t.entries.filter((e) => e.key).map((e) => `${e.step}:${e.cpu}:${e.text}`);
    expect(key).toEqual([
      '2:0:x = 1 (store buffer)',
      '3:1:y = 1 (store buffer)',
      '4:0:y -> 0',
      '5:1:x -> 0',
      '6:0:halt',
      '7:1:halt',
      '8:0:drains x = 1',
      '9:1:drains y = 1',
    ]);
    // the li steps are instruction-level detail only
    expect(t.entries.filter((e) => !e.key).map((e) => e.instr)).toEqual(['li r1,1', 'li r1,1']);
  });

  it('text: one column per cpu; --detail adds the instructions', () => {
    const t = sbTimeline();
    const text = renderTimelineText(t, { width: 30 });
    const lines = text.split('\n');
    const row = (step: string, a: string, b: string) =>
      `${step.padStart(4)}  ${a.padEnd(30)}  ${b}`.trimEnd();
    expect(lines[0]).toBe(row('step', 'cpu0 P0', 'cpu1 P1'));
    // stores and loads say where they happened (label+offset)
    expect(lines).toContain(row('2', 'P0+1: x = 1 (store buffer)', '|'));
    expect(lines).toContain(row('3', '|', 'P1+1: y = 1 (store buffer)'));
    expect(lines).toContain(row('5', '|', 'P1+2: x -> 0'));
    // halted lanes show blank
    expect(lines).toContain(row('9', '', 'drains y = 1'));
    expect(text).toContain('end after 10 steps (ok):');
    const detail = renderTimelineText(t, { width: 30, detail: true });
    expect(detail.split('\n')).toContain(row('0', 'P0: li r1,1', '|'));
  });

  it('svg and html escape names and texts', () => {
    const image = sbImage();
    image.threads[0]!.name = '<script>alert(1)</script>';
    const t = sbTimeline(image);
    const svg = renderTimelineSvg(t);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('cpu0 &lt;script&gt;alert(1)&lt;/script&gt;');
    const html = renderTimelineHtml(t, { title: 'a "title" & <b>' });
    expect(html).not.toContain('<script>');
    expect(html).toContain('<title>a &quot;title&quot; &amp; &lt;b&gt;</title>');
    expect(svg.match(/<g class="lane"/g)).toHaveLength(2);
  });
});
