import { readFileSync } from 'node:fs';
import { litmusToImage, parseLitmus, verdictOf } from '@naplab/asm';
import { referenceEngine, replayTrial, type TraceEvent } from '@naplab/engine-ref';
import type { MemoryModel } from '@naplab/isa';
import { describe, expect, it } from 'vitest';
import { findStoreBuffering, storeBufferingLitmus } from './index.js';

const LITMUS = new URL('../../../litmus/', import.meta.url);
const load = (name: string) => {
  const test = parseLitmus(`${name}.litmus`, readFileSync(new URL(`${name}.litmus`, LITMUS), 'utf8'));
  return { test, image: litmusToImage(test) };
};

function trace(name: string, memory: MemoryModel, schedule: number[]): TraceEvent[] {
  const events: TraceEvent[] = [];
  replayTrial(load(name).image, memory, schedule, (e) => events.push(e));
  return events;
}

const verdicts = (text: string) => {
  const test = parseLitmus('export.litmus', text);
  return (['sc', 'tso'] as const).map((m) => {
    const r = referenceEngine.explore(litmusToImage(test), { memory: m });
    return verdictOf(
      test,
      r.finals.filter((f) => f.outcome === 'ok').map((f) => f.final),
    );
  });
};

describe('store-buffering export', () => {
  // SB under tso: P0 stores x (buffered), P1 stores y (buffered), both load the old values, then
  // both halt and the buffers drain. Actions: step t = t, drain t = 2 + t.
  // Each thread: li r1,1 ; stw r1,0(r2) ; lwz r3,0(r4) ; halt.
  const sbStale = [0, 1, 0, 1, 0, 1, 0, 1, 2, 3];

  it('finds both sides of SB in a tso trace where both loads read 0, and exports a test herd7 and naplab read', () => {
    const { image } = load('SB');
    const events = trace('SB', 'tso', sbStale);
    const p = findStoreBuffering(image, events, 'tso');
    expect(p).toBeDefined();
    expect(p!.sides.map((s) => [s.cpu, s.store.value, s.barrier, s.load.value])).toEqual([
      [0, 1, null, 0],
      [1, 1, null, 0],
    ]);
    const x = storeBufferingLitmus(image, p!, { origin: 'unit test' });
    expect(x.name).toBe('SB+po+po');
    expect(x.text).toBe(
      [
        'PPC SB+po+po',
        '"unit test"',
        '{',
        'x=0; y=0;',
        '0:r2=x; 0:r4=y;',
        '1:r2=y; 1:r4=x;',
        '}',
        ' P0           | P1           ;',
        ' li r1,1      | li r1,1      ;',
        ' stw r1,0(r2) | stw r1,0(r2) ;',
        ' lwz r3,0(r4) | lwz r3,0(r4) ;',
        'exists',
        '(0:r3=0 /\\ 1:r3=0)',
        '',
      ].join('\n'),
    );
    expect(verdicts(x.text)).toEqual(['forbidden', 'allowed']);
  });

  it('finds nothing when a load saw the other store (drained first), nor in any sc trace', () => {
    const { image } = load('SB');
    // P0 stores and drains before P1 loads: P1 reads 1
    const drained = [0, 0, 2, 1, 1, 0, 1, 0, 1, 3];
    expect(findStoreBuffering(image, trace('SB', 'tso', drained), 'tso')).toBeUndefined();
    expect(findStoreBuffering(image, trace('SB', 'sc', [0, 0, 1, 1, 0, 1, 0, 1]), 'sc')).toBeUndefined();
  });

  it('keeps a sync between the store and the load (SB+sync+po)', () => {
    const { image } = load('SB+sync+po');
    // P0: li, stw, sync (waits for its drain), lwz; P1: li, stw, lwz (reads x after P0 drained? no:
    // P1 loads before P0's drain) -> P1 steps first: li, stw, lwz (x = 0), then P0: li, stw, drain,
    // sync, lwz (y = 0, P1's store still buffered), halts, drain P1
    const schedule = [1, 1, 1, 0, 0, 2, 0, 0, 0, 1, 3];
    const events = trace('SB+sync+po', 'tso', schedule);
    const p = findStoreBuffering(image, events, 'tso');
    expect(p?.sides.map((s) => s.barrier)).toEqual(['sync', null]);
    const x = storeBufferingLitmus(image, p!, { origin: 'unit test' });
    expect(x.name).toBe('SB+sync+po');
    expect(verdicts(x.text)).toEqual(['forbidden', 'allowed']);
  });
});
