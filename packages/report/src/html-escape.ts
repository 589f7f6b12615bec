/**
 * The one escaping function of the HTML report. Everything that is not our own markup goes
 * through it: labels, names, descriptions, file names, messages, commands, timelines, and numbers.
 * It is safe in element content (including `<pre>`, SVG `<text>` and `<title>`) and in
 * double- or single-quoted attribute values.
 */
export function escapeHtml(s: string): string {
  return String(s)
    .replace(/[&<>"']/g, (c) => ESCAPES[c]!)
    .replaceAll('\u0000', '\ufffd');
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
