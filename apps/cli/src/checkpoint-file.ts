/**
 * Checkpoint files of `naplab check --checkpoint FILE` / `--resume FILE`: a depth-first search in
 * progress (`ExploreCheckpoint`, SEMANTICS.md 12.6) with what it is a search of.
 *
 *   "NAPCKPT1" | u32 header length | header (JSON, UTF-8) | zero padding to 4 bytes |
 *   hashes (u32 pairs) | finals (i32) | violation record (i32) | frames (i32)       (little-endian)
 *
 * The header names the scenario, variant, memory model, reduction and image hash, the counts and
 * the length of each section, and a checksum of the sections. The file is written to a temporary
 * name, synced and renamed over the target: a crash leaves the previous checkpoint whole.
 * Synchronous throughout: the engine offers a checkpoint from inside the search.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  fsyncSync,
  openSync,
  readSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { ExploreCheckpoint, MemoryModel } from '@naplab/isa';
import { CliError } from './errors.js';

const MAGIC = 'NAPCKPT1';
const FORMAT = 1;

/** What a checkpoint is a search of: `check` refuses to resume it for anything else. */
export interface CheckpointSubject {
  scenario: string;
  variant: string;
  wakeup?: string;
  memory: MemoryModel;
  reduce: boolean;
  /** imageHash of the scenario's image with its own limits */
  image: string;
}

/** The file's header: what the search is of, its counts and sizes, and the sections' checksum. */
type Header = CheckpointSubject &
  Omit<ExploreCheckpoint, 'hashes' | 'finals' | 'violation' | 'frames'> & {
    format: number;
    savedAt: string;
    /** section lengths in 32-bit words */
    words: { hashes: number; finals: number; violation: number; frames: number };
    checksum: number;
  };

type Section = Uint32Array | Int32Array;

/** FNV-1a over the 32-bit words of the sections, in order. */
function checksum(sections: Section[]): number {
  let h = 0x811c9dc5;
  for (const s of sections) for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s[i]!, 0x01000193);
  return h >>> 0;
}

function bytesOf(s: Section): Buffer {
  return Buffer.from(s.buffer, s.byteOffset, s.byteLength);
}

/** Write a checkpoint file atomically (temporary file, fsync, rename). */
export function writeCheckpointFile(path: string, subject: CheckpointSubject, c: ExploreCheckpoint): void {
  const sections: Section[] = [c.hashes, c.finals, c.violation, c.frames];
  const header: Header = {
    format: FORMAT,
    ...subject,
    savedAt: new Date().toISOString(),
    states: c.states,
    transitions: c.transitions,
    maxDepth: c.maxDepth,
    limitCut: c.limitCut,
    atBound: c.atBound,
    sp: c.sp,
    slots: c.slots,
    finalWords: c.finalWords,
    frameWords: c.frameWords,
    words: {
      hashes: c.hashes.length,
      finals: c.finals.length,
      violation: c.violation.length,
      frames: c.frames.length,
    },
    checksum: checksum(sections),
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const head = Buffer.alloc(MAGIC.length + 4 + json.length + ((4 - (json.length % 4)) % 4));
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32LE(json.length, MAGIC.length);
  json.copy(head, MAGIC.length + 4);
  const full = resolve(path);
  const tmp = join(dirname(full), `.${basename(full)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx');
    writeAll(fd, head);
    for (const s of sections) writeAll(fd, bytesOf(s));
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, full);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
    throw new CliError(
      'NAP057',
      `cannot write the checkpoint ${path}: ${(e as Error).message}`,
      'check that its folder exists and is writable, and that the disk has room (about 8 bytes per state)',
    );
  }
}

function writeAll(fd: number, b: Buffer): void {
  const CHUNK = 1 << 30;
  for (let at = 0; at < b.length; ) {
    at += writeSync(fd, b, at, Math.min(CHUNK, b.length - at));
  }
}

/** Read and check a checkpoint file (NAP055 when it is not one, or is damaged). */
export function readCheckpointFile(path: string): {
  subject: CheckpointSubject;
  savedAt: string;
  checkpoint: ExploreCheckpoint;
} {
  const corrupt = (why: string, at?: number) =>
    new CliError(
      'NAP055',
      `${path}${at === undefined ? '' : ` (byte ${at})`}: not a readable naplab checkpoint: ${why}`,
      "a checkpoint is written by 'naplab check --checkpoint FILE'; a damaged one cannot be resumed: run the search again",
    );
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new CliError(
      'NAP055',
      `cannot read the checkpoint ${path}: ${(e as Error).message}`,
      'check the path',
    );
  }
  try {
    const size = fstatSync(fd).size;
    let pos = 0;
    const read = (into: Uint8Array, what: string): void => {
      let got = 0;
      while (got < into.length) {
        const n = readSync(fd, into, got, into.length - got, pos + got);
        if (n === 0) throw corrupt(`it ends inside the ${what}`, pos + got);
        got += n;
      }
      pos += into.length;
    };
    const magic = Buffer.alloc(MAGIC.length + 4);
    read(magic, 'file head');
    if (magic.toString('latin1', 0, MAGIC.length) !== MAGIC)
      throw corrupt(`it does not start with ${MAGIC}`, 0);
    const len = magic.readUInt32LE(MAGIC.length);
    if (len > size) throw corrupt(`its header length ${len} exceeds the file`, MAGIC.length);
    const jsonBuf = Buffer.alloc(len);
    read(jsonBuf, 'header');
    let h: Header;
    try {
      h = JSON.parse(jsonBuf.toString('utf8')) as Header;
    } catch (e) {
      throw corrupt(`its header is not JSON (${(e as Error).message})`, MAGIC.length + 4);
    }
    if (h.format !== FORMAT)
      throw corrupt(`format ${h.format}, this naplab reads format ${FORMAT}`, MAGIC.length + 4);
    const w = h.words;
    const ints = [w?.hashes, w?.finals, w?.violation, w?.frames, h.states, h.sp, h.finalWords, h.frameWords];
    if (!ints.every((x) => Number.isSafeInteger(x) && (x as number) >= 0))
      throw corrupt('its header lacks section lengths or counts', MAGIC.length + 4);
    pos += (4 - (len % 4)) % 4;
    const expected = pos + 4 * (w.hashes + w.finals + w.violation + w.frames);
    if (expected !== size)
      throw corrupt(`it has ${size} bytes where its header says ${expected}`, Math.min(size, expected));
    const hashes = new Uint32Array(w.hashes);
    const finals = new Int32Array(w.finals);
    const violation = new Int32Array(w.violation);
    const frames = new Int32Array(w.frames);
    read(new Uint8Array(hashes.buffer), 'visited hashes');
    read(new Uint8Array(finals.buffer), 'finals');
    read(new Uint8Array(violation.buffer), 'violation record');
    read(new Uint8Array(frames.buffer), 'frames');
    if (checksum([hashes, finals, violation, frames]) !== h.checksum)
      throw corrupt('its checksum does not match its contents (the file was changed or damaged)');
    return {
      subject: {
        scenario: h.scenario,
        variant: h.variant,
        ...(h.wakeup !== undefined ? { wakeup: h.wakeup } : {}),
        memory: h.memory,
        reduce: h.reduce,
        image: h.image,
      },
      savedAt: h.savedAt,
      checkpoint: {
        memory: h.memory,
        reduce: h.reduce,
        states: h.states,
        transitions: h.transitions,
        maxDepth: h.maxDepth,
        limitCut: h.limitCut,
        atBound: h.atBound,
        sp: h.sp,
        slots: h.slots,
        hashes,
        finals,
        finalWords: h.finalWords,
        violation,
        frames,
        frameWords: h.frameWords,
      },
    };
  } finally {
    closeSync(fd);
  }
}
