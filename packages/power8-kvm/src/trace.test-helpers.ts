/**
 * Test helpers: replay a schedule on the reference engine and read its trace by name.
 */
import { referenceEngine, replayTrial, type TraceEvent } from '@naplab/engine-ref';
import type { ExploreResult, Image, MemoryModel, TrialResult } from '@naplab/isa';
import { getBuiltinScenario } from './builtins.js';
import { compileScenario } from './compile.js';
import { codeLabelAt, memorySymbolAt } from './labels.js';
import type { Scenario } from './scenario.js';

/** Exhaustive search of the small scenario takes seconds to a minute on the reference engine. */
export const EXPLORE_TIMEOUT = 600_000;

const cache = new Map<string, { image: Image; result: ExploreResult }>();

/** power8-cede-small (with `patch` applied), compiled and explored once per test file. */
export function explored(
  variant: Scenario['variant'],
  memory: MemoryModel,
  patch: Partial<Scenario> = {},
): { image: Image; result: ExploreResult } {
  const key = JSON.stringify([variant, memory, patch]);
  let hit = cache.get(key);
  if (!hit) {
    const image = compileScenario({ ...getBuiltinScenario('power8-cede-small'), variant, ...patch });
    hit = { image, result: referenceEngine.explore(image, { memory }) };
    cache.set(key, hit);
  }
  return hit;
}

export interface NamedEvent {
  step: number;
  cpu: number;
  /** where the thread was, e.g. `kvm_do_nap+2` */
  at: string;
  kind: TraceEvent['effect']['kind'];
  /** the memory symbol of a load, store, drain or await, e.g. `HSTATE_HWTHREAD_REQ@cpu2` */
  sym?: string;
  value?: number;
  buffered?: boolean;
  text?: string;
}

/** Replay `schedule` and return the trial with its trace. */
export function replayNamed(
  image: Image,
  memory: MemoryModel,
  schedule: readonly number[],
): { result: TrialResult; events: NamedEvent[] } {
  const events: NamedEvent[] = [];
  const result = replayTrial(image, memory, schedule, (e) => {
    const f = e.effect as Record<string, unknown> & { kind: TraceEvent['effect']['kind'] };
    const ev: NamedEvent = { step: e.step, cpu: e.cpu, at: codeLabelAt(image, e.pc), kind: f.kind };
    if (typeof f.addr === 'number') ev.sym = memorySymbolAt(image, f.addr);
    if (typeof f.value === 'number') ev.value = f.value;
    if (typeof f.buffered === 'boolean') ev.buffered = f.buffered;
    if (typeof f.text === 'string') ev.text = f.text;
    events.push(ev);
  });
  return { result, events };
}

type Match = Partial<NamedEvent> & { textHas?: string };

function matches(e: NamedEvent, { textHas, ...fields }: Match): boolean {
  if (textHas !== undefined && !(e.text ?? '').includes(textHas)) return false;
  return Object.entries(fields).every(([k, v]) => (e as unknown as Record<string, unknown>)[k] === v);
}

/** Index of the first event at or after `from` that matches. -1 if none. */
export function find(events: NamedEvent[], match: Match, from = 0): number {
  for (let i = from; i < events.length; i++) if (matches(events[i]!, match)) return i;
  return -1;
}

/** Index of the last event before `before` that matches. -1 if none. */
export function findLast(events: NamedEvent[], match: Match, before = events.length): number {
  for (let i = before - 1; i >= 0; i--) if (matches(events[i]!, match)) return i;
  return -1;
}
