/**
 * JSON for files people read and diff: indented by two spaces, but lists of primitives (schedules,
 * counters, ranges) and other short values stay on one line, so a long schedule is one line, not
 * thousands. `undefined` object fields are left out, as `JSON.stringify` does.
 */
export function formatJson(value: unknown): string {
  return `${pretty(value, '')}\n`;
}

function pretty(v: unknown, indent: string): string {
  const flat = JSON.stringify(v);
  const primitives = Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object');
  if (v === null || typeof v !== 'object' || primitives || flat.length <= 72) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(v)) return `[\n${v.map((x) => inner + pretty(x, inner)).join(',\n')}\n${indent}]`;
  const entries = Object.entries(v).filter(([, x]) => x !== undefined);
  return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${pretty(x, inner)}`).join(',\n')}\n${indent}}`;
}
