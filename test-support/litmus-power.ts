/**
 * What the shared litmus tests (`litmus/`) are expected to give under `power`, for the tests of
 * both engines: herd7's verdicts (`expected.tsv`), herd7's final-state sets
 * (`power-final-states.json`), and the exhaustive state counts of the model (SEMANTICS.md 13),
 * pinned on the reference engine, which the WebAssembly port must match.
 */
import { readFileSync } from 'node:fs';

export const LITMUS_DIR = new URL('../litmus/', import.meta.url);

/** test name -> herd7's `power` verdict (`allowed` | `forbidden`) */
export const expectedPower = new Map(
  readFileSync(new URL('expected.tsv', LITMUS_DIR), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [test, power] = line.split('\t');
      return [test!, power!] as const;
    }),
);

/** test name -> herd7's final states, in herd7's format */
export const herdFinals: Record<string, string[]> = JSON.parse(
  readFileSync(new URL('power-final-states.json', LITMUS_DIR), 'utf8'),
);

/** Exhaustive state counts under power (SEMANTICS.md 13). */
export const POWER_STATES: Record<string, number> = {
  '2+2W': 100,
  '2+2W+syncs': 45,
  CoRR1: 32,
  CoWW: 2,
  IRIW: 18496,
  'IRIW+syncs': 10836,
  LB: 64,
  'LB+addrs': 45,
  'LB+syncs': 45,
  MP: 68,
  'MP+lwsyncs': 38,
  'MP+sync+addr': 34,
  'MP+sync+ctrl': 47,
  'MP+sync+ctrlisync': 34,
  'MP+syncs': 34,
  R: 80,
  'R+syncs': 34,
  RWC: 1088,
  'RWC+syncs': 392,
  S: 80,
  'S+syncs': 45,
  SB: 64,
  'SB+lwsyncs': 64,
  'SB+sync+po': 46,
  'SB+syncs': 28,
  WRC: 1088,
  'WRC+lwsync+addr': 640,
  'WRC+syncs': 598,
};
