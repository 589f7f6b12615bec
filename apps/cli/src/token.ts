/**
 * Replay tokens: a compact, printable, versioned handle on one trial's schedule, e.g.
 * `np1_eyJ...`. It names the scenario and variant (so the image can be rebuilt), the memory model,
 * the engine that recorded it, the image hash (so a replay on a changed image is refused) and the
 * decisions. `naplab replay <token>` runs it on either engine.
 */
import { CliError } from './errors.js';

export const TOKEN_PREFIX = 'np1_';

export interface ReplayToken {
  /** token format version */
  v: 1;
  /** scenario: built-in name or file path */
  scenario: string;
  /** wakeup variant, or `custom` with `wakeup` = the file */
  variant: string;
  wakeup?: string;
  memory: string;
  engine: string;
  /** imageHash() of the image the schedule was recorded on */
  image: string;
  decisions: number[];
}

export function encodeToken(t: Omit<ReplayToken, 'v'>): string {
  // decisions as base-36 numbers joined by '.', which is compact for the small action ids
  const body = { ...t, v: 1, decisions: t.decisions.map((d) => d.toString(36)).join('.') };
  return TOKEN_PREFIX + Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

export function isToken(s: string | undefined): s is string {
  return s?.startsWith(TOKEN_PREFIX) === true;
}

export function decodeToken(s: string): ReplayToken {
  const bad = (why: string) =>
    new CliError(
      'NAP017',
      `not a valid replay token: ${why}`,
      'paste the whole token as printed (it starts with np1_)',
    );
  let body: any;
  try {
    body = JSON.parse(Buffer.from(s.slice(TOKEN_PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    throw bad('it does not decode');
  }
  if (body?.v !== 1) throw bad(`version ${body?.v} is not supported by this naplab (it reads version 1)`);
  for (const k of ['scenario', 'variant', 'memory', 'engine', 'image'])
    if (typeof body[k] !== 'string') throw bad(`field '${k}' is missing`);
  if (typeof body.decisions !== 'string' || !/^([0-9a-z]+(\.[0-9a-z]+)*)?$/.test(body.decisions))
    throw bad('the decisions are malformed');
  const decisions =
    body.decisions === '' ? [] : body.decisions.split('.').map((d: string) => Number.parseInt(d, 36));
  return { ...body, decisions } as ReplayToken;
}
