/** Escaping for element content and quoted attribute values (HTML and SVG). */
export function escapeXml(s: string): string {
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
