/** Building a `TrialResult` from the state a trial ended in (SEMANTICS.md sections 6 and 9). */
import type { TrialResult } from '@naplab/isa';
import { classify, finalValues, type Machine } from './machine.js';

export function trialResult(m: Machine, index: number, schedule: number[]): TrialResult {
  const { outcome, detail } = classify(m);
  return {
    index,
    outcome,
    steps: m.steps,
    syncs: m.syncs,
    wakeups: m.wakeups,
    wakeupsByReason: [m.wakeupsByReason[0], m.wakeupsByReason[1], m.wakeupsByReason[2]],
    counters: [...m.counters],
    final: finalValues(m),
    schedule,
    detail,
  };
}
