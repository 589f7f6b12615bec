/**
 * The one escaping function of the HTML report. Everything that is not our own markup goes
 * through it: labels, names, descriptions, file names, messages, commands, timelines, and numbers.
 * It is safe in element content (including `<pre>`, SVG `<text>` and `<title>`) and in
 * double- or single-quoted attribute values. It is `@naplab/timeline`'s `escapeXml` (the timeline
 * pages and the report embed each other's markup, so they escape the same way).
 */
export { escapeXml as escapeHtml } from '@naplab/timeline';
