/**
 * Inline SVG charts for the HTML report: one row per variant, the value on a horizontal axis.
 * Every string that reaches the markup goes through `escapeHtml`, numbers included.
 */
import { formatConfidence, formatProportion, formatRate, formatTick, joinSplit } from './format.js';
import { escapeHtml } from './html-escape.js';
import { truncate } from './text.js';
import type { CompareReport, RateInterval } from './types.js';

const WIDTH = 760;
const LABEL = 170; // left column for variant labels
const VALUE = 200; // right column for the value text
const ROW = 30;
const TOP = 14;
const AXIS = 34;
const PLOT_LEFT = LABEL + 10;
const PLOT_RIGHT = WIDTH - VALUE - 10;
/** max/min of the values drawn from which the rate axis is logarithmic */
export const LOG_SPAN = 10;

interface Scale {
  x(v: number): number;
  ticks: number[];
  log: boolean;
}

function num(x: number): string {
  return (Math.round(x * 10) / 10).toString();
}

/** 1, 2, 2.5, 5 times a power of ten, at or above x. */
function niceCeil(x: number): number {
  if (!(x > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x * (1 - 1e-12)) return m * p;
  return 10 * p;
}

function linearScale(max: number): Scale {
  const top = niceCeil(max);
  const ticks = [0, 1, 2, 3, 4, 5].map((i) => (top * i) / 5);
  return { x: (v) => PLOT_LEFT + ((PLOT_RIGHT - PLOT_LEFT) * Math.max(0, v)) / top, ticks, log: false };
}

function logScale(min: number, max: number): Scale {
  let lo = Math.floor(Math.log10(min));
  let hi = Math.ceil(Math.log10(max));
  if (hi <= lo) hi = lo + 1;
  const step = Math.ceil((hi - lo) / 8);
  lo = hi - step * Math.ceil((hi - lo) / step);
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e += step) ticks.push(10 ** e);
  return {
    x: (v) => {
      const e = v > 0 ? Math.log10(v) : lo;
      return PLOT_LEFT + ((PLOT_RIGHT - PLOT_LEFT) * (Math.min(hi, Math.max(lo, e)) - lo)) / (hi - lo);
    },
    ticks,
    log: true,
  };
}

function axis(scale: Scale, y: number, caption: string): string {
  const parts = [`<line class="axis" x1="${PLOT_LEFT}" y1="${y}" x2="${PLOT_RIGHT}" y2="${y}"/>`];
  const exponential = scale.ticks.some((t) => t > 0 && t < 1e-3);
  for (const t of scale.ticks) {
    const x = num(scale.x(t));
    parts.push(`<line class="grid" x1="${x}" y1="${TOP - 4}" x2="${x}" y2="${y}"/>`);
    parts.push(
      `<text class="tick" x="${x}" y="${y + 14}" text-anchor="middle">${escapeHtml(formatTick(t, exponential))}</text>`,
    );
  }
  parts.push(
    `<text class="caption" x="${num((PLOT_LEFT + PLOT_RIGHT) / 2)}" y="${y + 29}" text-anchor="middle">${escapeHtml(caption)}</text>`,
  );
  return parts.join('');
}

function frame(title: string, rows: number, body: string): string {
  const height = TOP + rows * ROW + AXIS + 6;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img">` +
    `<title>${escapeHtml(title)}</title>${body}</svg>`
  );
}

function rowLabel(label: string, y: number): string {
  return `<text class="label" x="${LABEL}" y="${y + 4}" text-anchor="end">${escapeHtml(truncate(label, 24))}</text>`;
}

function valueText(text: string, y: number): string {
  return `<text class="value" x="${PLOT_RIGHT + 14}" y="${y + 4}">${escapeHtml(text)}</text>`;
}

/** Whisker from lo to hi with caps, and a dot at the estimate. */
function whisker(x1: number, x2: number, xe: number, y: number): string {
  return (
    `<line class="whisker" x1="${num(x1)}" y1="${y}" x2="${num(x2)}" y2="${y}"/>` +
    `<line class="whisker" x1="${num(x1)}" y1="${y - 6}" x2="${num(x1)}" y2="${y + 6}"/>` +
    `<line class="whisker" x1="${num(x2)}" y1="${y - 6}" x2="${num(x2)}" y2="${y + 6}"/>` +
    `<circle class="estimate" cx="${num(xe)}" cy="${y}" r="4"/>`
  );
}

/** The rule-of-three bound for a rate with no events (or its upper bound if the field is absent). */
function boundOf(r: RateInterval): number {
  return r.ruleOfThreeUpper ?? r.upper;
}

/**
 * Lockup rate per variant with its interval. A log scale when the values drawn span a decade or
 * more (a linear axis would squeeze the smaller ones against 0); a variant without lockups is an arrow pointing down from its rule-of-three bound.
 */
export function lockupRateChart(report: CompareReport): string {
  const rates = report.variants.map((v) => v.lockupRate);
  const positives = rates
    .flatMap((r) => (r.k === 0 ? [boundOf(r)] : [r.lower, r.estimate, r.upper]))
    .filter((x) => x > 0);
  const max = Math.max(...positives, 0);
  const min = Math.min(...positives, max);
  const log = positives.length > 0 && max / min >= LOG_SPAN;
  const scale = log ? logScale(min, max) : linearScale(max);
  const rows = report.variants.map((v, i) => {
    const y = TOP + i * ROW + ROW / 2;
    const r = v.lockupRate;
    const title = `<title>${escapeHtml(`${v.label}: ${joinSplit(formatRate(r))}`)}</title>`;
    let mark: string;
    if (r.k === 0) {
      const xb = scale.x(boundOf(r));
      const xa = Math.max(PLOT_LEFT, log ? xb - 60 : scale.x(0));
      mark =
        `<g class="errbar bound">${title}` +
        `<line class="whisker" x1="${num(xb)}" y1="${y - 6}" x2="${num(xb)}" y2="${y + 6}"/>` +
        `<line class="whisker" x1="${num(xb)}" y1="${y}" x2="${num(xa + 6)}" y2="${y}"/>` +
        `<path class="arrow" d="M${num(xa)} ${y}l8 -5v10z"/></g>`;
    } else {
      mark = `<g class="errbar">${title}${whisker(scale.x(r.lower), scale.x(r.upper), scale.x(r.estimate), y)}</g>`;
    }
    return `<g class="row${r.k > 0 ? ' failing' : ''}">${rowLabel(v.label, y)}${mark}${valueText(joinSplit(formatRate(r)), y)}</g>`;
  });
  const axisY = TOP + report.variants.length * ROW;
  const caption = `lockups per trial${log ? ' (log scale)' : ''}; ${formatConfidence(report.confidence)} interval, arrow: rule-of-three bound when no lockup`;
  return frame(
    'Lockup rate per variant',
    report.variants.length,
    rows.join('') + axis(scale, axisY, caption),
  );
}

/** Syncs per wakeup per variant: a bar to the estimate and its interval. */
export function syncsPerWakeupChart(report: CompareReport): string {
  const uppers = report.variants.map((v) => v.syncsPerWakeup?.upper ?? 0);
  const scale = linearScale(Math.max(1, ...uppers));
  const rows = report.variants.map((v, i) => {
    const y = TOP + i * ROW + ROW / 2;
    const s = v.syncsPerWakeup;
    if (!s) return `<g class="row na">${rowLabel(v.label, y)}${valueText('no wakeups', y)}</g>`;
    const x0 = scale.x(0);
    const xe = scale.x(s.estimate);
    const text = joinSplit(formatProportion(s));
    return (
      `<g class="row">${rowLabel(v.label, y)}` +
      `<rect class="bar" x="${num(x0)}" y="${y - 8}" width="${num(Math.max(0, xe - x0))}" height="16"/>` +
      `<g class="errbar"><title>${escapeHtml(`${v.label}: ${text} syncs per wakeup`)}</title>${whisker(scale.x(s.lower), scale.x(s.upper), xe, y)}</g>` +
      `${valueText(text, y)}</g>`
    );
  });
  const axisY = TOP + report.variants.length * ROW;
  return frame(
    'Wakeup-path syncs per wakeup',
    report.variants.length,
    rows.join('') + axis(scale, axisY, 'wakeups that executed the wakeup-path sync / wakeups'),
  );
}
