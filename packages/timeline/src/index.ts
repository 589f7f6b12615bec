/**
 * `@naplab/timeline`: readable counterexamples. A reference-engine trace becomes one lane per CPU
 * of kernel-level events (`buildTimeline`), rendered as text lanes, an SVG sequence diagram or a
 * self-contained HTML page.
 */
export {
  type BuildOptions,
  buildTimeline,
  type EntryKind,
  type FieldInfo,
  type LaneState,
  type Timeline,
  type TimelineEntry,
  type TimelineLane,
  traceTimeline,
  type Vocabulary,
} from './build.js';
export { escapeXml } from './escape.js';
export { type HtmlPageOptions, renderTimelineHtml } from './html.js';
export {
  findStoreBuffering,
  type LitmusExport,
  type SbPattern,
  type SbSide,
  storeBufferingLitmus,
} from './litmus-export.js';
export { renderTimelineSvg, type SvgOptions } from './svg.js';
export { entryText, renderTimelineText, type TextOptions, visibleEntries } from './text.js';
