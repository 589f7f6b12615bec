// The successors of a reference-engine machine, as the plain exhaustive search takes them
// (SEMANTICS.md 5): every enabled action in order, a `choose` once per value. Shared by the
// benchmarks that walk state spaces themselves (pct.mjs, power-anatomy.mjs).
import { applyAction, cloneMachine, enabledActions, needsChoice } from '@naplab/engine-ref';

/** Yields [action, successor machine] for each successor of `m` (which is left unchanged). */
export function* successors(m) {
  for (const a of enabledActions(m)) {
    const values = needsChoice(m, a);
    for (let v = 0; v < Math.max(1, values); v++) {
      const y = cloneMachine(m);
      if (values > 0) applyAction(y, a, v);
      else applyAction(y, a);
      yield [a, y];
    }
  }
}
