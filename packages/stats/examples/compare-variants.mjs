// Compare an unfixed and a fixed variant the way a report does. Run after `pnpm build`:
//   node examples/compare-variants.mjs
import {
  fisherExact,
  mergeCounts,
  poissonRateInterval,
  rateDifference,
  rateSummary,
  ratioOfSums,
} from '@naplab/stats';

// Two shards of the unfixed variant, merged by summing counts (never by averaging intervals).
const unfixed = mergeCounts([
  { k: 21, n: 1_000_000 },
  { k: 16, n: 1_000_000 },
]);
const fixed = { k: 0, n: 5_000_000 };

const a = rateSummary(unfixed.k, unfixed.n);
const b = rateSummary(fixed.k, fixed.n);
console.log(`unfixed lockup rate      ${a.text}`);
console.log(`fixed lockup rate        ${b.text}  (rule of three: < ${b.ruleOfThree.upper.toExponential(2)})`);

const d = rateDifference(unfixed.k, unfixed.n, fixed.k, fixed.n);
console.log(
  `difference               ${d.difference.toExponential(2)} [${d.lower.toExponential(2)}, ${d.upper.toExponential(2)}]`,
);
console.log(
  `Fisher two-sided p       ${fisherExact(unfixed.k, unfixed.n, fixed.k, fixed.n).pValue.toExponential(2)}`,
);

// 37 lockups in 120 simulated hours: lockups per hour and mean time to lockup.
const perHour = poissonRateInterval(37, 120);
console.log(
  `lockups per hour         ${perHour.rate.toFixed(3)} [${perHour.lower.toFixed(3)}, ${perHour.upper.toFixed(3)}]`,
);
const mttl = perHour.meanTimeBetweenEvents;
console.log(
  `mean hours to lockup     ${mttl.estimate.toFixed(2)} [${mttl.lower.toFixed(2)}, ${mttl.upper.toFixed(2)}]`,
);

// Syncs per wakeup from per-trial aggregates: x = syncs, y = wakeups of each trial.
const syncs = ratioOfSums({ n: 1000, sumX: 5230, sumY: 2000, sumXX: 30100, sumYY: 4200, sumXY: 11000 });
console.log(
  `syncs per wakeup         ${syncs.estimate.toFixed(4)} [${syncs.lower.toFixed(4)}, ${syncs.upper.toFixed(4)}]`,
);
