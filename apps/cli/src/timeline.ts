/**
 * Counterexample timelines for the CLI: replay a schedule on the reference engine and build the
 * kernel-level timeline with the POWER8 vocabulary (`@naplab/timeline`, `TIMELINE_VOCABULARY`).
 */
import type { TraceEvent } from '@naplab/engine-ref';
import type { Image, MemoryModel, TrialResult } from '@naplab/isa';
import { TIMELINE_VOCABULARY } from '@naplab/power8-kvm';
import { type Timeline, traceTimeline } from '@naplab/timeline';
import { outcomeMessage } from './trace.js';

export function timelineOf(
  image: Image,
  memory: MemoryModel,
  schedule: readonly number[],
): { timeline: Timeline; result: TrialResult; events: TraceEvent[] } {
  return traceTimeline(image, memory, schedule, {
    vocabulary: TIMELINE_VOCABULARY,
    message: (r) => outcomeMessage(image, r.outcome, r.detail),
  });
}
