/**
 * Compact binary encoding of an image.
 *
 * ```
 * +--------+---------+------------------------------------------+----------+
 * | "NAPI" | version | body: LEB128 varints (zigzag for signed)  | CRC-32   |
 * | 4 B    | u8      | and length-prefixed UTF-8 strings         | u32 LE   |
 * +--------+---------+------------------------------------------+----------+
 * ```
 * The CRC covers everything before it, so truncation and bit flips are detected before decoding.
 * Body field order is exactly the order of `encodeImage` below.
 */
import {
  IMAGE_FORMAT,
  IMAGE_VERSION,
  type Image,
  ImageError,
  type Observation,
  validateImage,
} from './image.js';

const MAGIC = [0x4e, 0x41, 0x50, 0x49]; // "NAPI"

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array, end = bytes.length): number {
  let c = 0xffffffff;
  for (let i = 0; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

class Writer {
  private buf: number[] = [];
  u(v: number) {
    // unsigned LEB128 for values up to 2^53
    let x = v;
    while (x >= 0x80) {
      this.buf.push((x % 0x80) | 0x80);
      x = Math.floor(x / 0x80);
    }
    this.buf.push(x);
  }
  s(v: number) {
    this.u(v < 0 ? -2 * v - 1 : 2 * v);
  }
  str(v: string) {
    const b = new TextEncoder().encode(v);
    this.u(b.length);
    for (const x of b) this.buf.push(x);
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.buf);
  }
}

class Reader {
  pos = 0;
  constructor(
    private b: Uint8Array,
    private end: number,
  ) {}
  u(): number {
    let result = 0;
    let mul = 1;
    for (;;) {
      if (this.pos >= this.end) throw new ImageError('binary image is truncated', 'E_IMAGE_CORRUPT');
      const x = this.b[this.pos++]!;
      result += (x & 0x7f) * mul;
      if (x < 0x80) return result;
      mul *= 0x80;
      if (mul > 2 ** 56) throw new ImageError('binary image has an over-long integer', 'E_IMAGE_CORRUPT');
    }
  }
  s(): number {
    const z = this.u();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }
  n(max: number, what: string): number {
    const v = this.u();
    if (v > max) throw new ImageError(`binary image: ${what} count ${v} is implausible`, 'E_IMAGE_CORRUPT');
    return v;
  }
  str(): string {
    const len = this.n(this.end - this.pos, 'string length');
    const s = new TextDecoder('utf-8', { fatal: true }).decode(this.b.subarray(this.pos, this.pos + len));
    this.pos += len;
    return s;
  }
}

export function encodeImage(img: Image): Uint8Array {
  const w = new Writer();
  w.str(img.name);
  w.u(img.code.length);
  for (const x of img.code) w.s(x);
  const labels = Object.entries(img.labels);
  w.u(labels.length);
  for (const [k, v] of labels) {
    w.str(k);
    w.u(v);
  }
  w.u(img.strings.length);
  for (const s of img.strings) w.str(s);
  w.u(img.counters.length);
  for (const s of img.counters) w.str(s);
  w.u(img.memory.size);
  w.u(img.memory.init.length);
  for (const [a, v] of img.memory.init) {
    w.u(a);
    w.s(v);
  }
  w.u(img.memory.symbols.length);
  for (const s of img.memory.symbols) {
    w.str(s.name);
    w.u(s.addr);
    w.u(s.size);
    w.s(s.cpu ?? -1);
  }
  w.u(img.threadsPerCore);
  w.u(img.threads.length);
  for (const t of img.threads) {
    w.u(t.cpu);
    w.str(t.name);
    w.u(t.pc);
    w.u(t.status);
    w.u(t.regs.length);
    for (const [rg, v] of t.regs) {
      w.u(rg);
      w.s(v);
    }
    w.u(t.msrEE);
    w.s(t.lpcr);
    w.s(t.lpid);
    w.u(t.pending);
    w.u(t.mustHalt ? 1 : 0);
  }
  const v = img.vectors;
  for (const x of [v.systemReset, v.external, v.decrementer, v.doorbell]) w.s(x);
  w.u(img.events.length);
  for (const e of img.events) {
    w.u(e.kind);
    w.u(e.cpu);
    w.u(e.count);
    w.u(e.whenNapping ? 1 : 0);
  }
  w.u(img.observe.length);
  for (const o of img.observe) {
    if (o.kind === 'reg') {
      w.u(0);
      w.u(o.cpu);
      w.u(o.reg);
    } else {
      w.u(1);
      w.u(o.addr);
    }
  }
  w.u(img.limits.maxSteps);
  w.u(img.limits.storeBuffer);
  w.u(img.limits.maxStates);
  w.u(img.source ? 1 : 0);
  if (img.source) {
    w.u(img.source.files.length);
    for (const f of img.source.files) w.str(f);
    w.u(img.source.locs.length);
    for (const l of img.source.locs) {
      w.u(l.file);
      w.u(l.line);
      w.u(l.col);
    }
  }
  w.str(img.meta === undefined ? '' : JSON.stringify(img.meta));
  const body = w.bytes();
  const out = new Uint8Array(5 + body.length + 4);
  out.set(MAGIC, 0);
  out[4] = IMAGE_VERSION;
  out.set(body, 5);
  const crc = crc32(out, 5 + body.length);
  new DataView(out.buffer).setUint32(5 + body.length, crc, true);
  return out;
}

export function decodeImage(bytes: Uint8Array): Image {
  if (bytes.length < 9 || MAGIC.some((m, i) => bytes[i] !== m)) {
    throw new ImageError('not a naplab binary image (bad magic)', 'E_IMAGE_CORRUPT');
  }
  if (bytes[4] !== IMAGE_VERSION) {
    throw new ImageError(
      `binary image version ${bytes[4]} is not supported (this naplab reads version ${IMAGE_VERSION}); rebuild the image from its source`,
      'E_IMAGE_VERSION',
    );
  }
  const end = bytes.length - 4;
  const stored = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(end, true);
  if (crc32(bytes, end) !== stored)
    throw new ImageError('binary image checksum mismatch (corrupt or truncated)', 'E_IMAGE_CORRUPT');
  const r = new Reader(bytes, end);
  r.pos = 5;
  const lim = end;
  const name = r.str();
  const code = Array.from({ length: r.n(lim, 'code') }, () => r.s());
  const labels: Record<string, number> = {};
  for (let i = r.n(lim, 'label'); i > 0; i--) labels[r.str()] = r.u();
  const strings = Array.from({ length: r.n(lim, 'string') }, () => r.str());
  const counters = Array.from({ length: r.n(lim, 'counter') }, () => r.str());
  const size = r.u();
  const init = Array.from({ length: r.n(lim, 'init') }, (): [number, number] => [r.u(), r.s()]);
  const symbols = Array.from({ length: r.n(lim, 'symbol') }, () => {
    const s = { name: r.str(), addr: r.u(), size: r.u() } as Image['memory']['symbols'][number];
    const cpu = r.s();
    if (cpu >= 0) s.cpu = cpu;
    return s;
  });
  const threadsPerCore = r.u();
  const threads = Array.from({ length: r.n(lim, 'thread') }, () => ({
    cpu: r.u(),
    name: r.str(),
    pc: r.u(),
    status: r.u(),
    regs: Array.from({ length: r.n(lim, 'reg') }, (): [number, number] => [r.u(), r.s()]),
    msrEE: r.u() as 0 | 1,
    lpcr: r.s(),
    lpid: r.s(),
    pending: r.u(),
    mustHalt: r.u() === 1,
  }));
  const vectors = { systemReset: r.s(), external: r.s(), decrementer: r.s(), doorbell: r.s() };
  const events = Array.from({ length: r.n(lim, 'event') }, () => ({
    kind: r.u(),
    cpu: r.u(),
    count: r.u(),
    whenNapping: r.u() === 1,
  }));
  const observe = Array.from({ length: r.n(lim, 'observe') }, (): Observation => {
    const k = r.u();
    return k === 0 ? { kind: 'reg', cpu: r.u(), reg: r.u() } : { kind: 'mem', addr: r.u() };
  });
  const limits = { maxSteps: r.u(), storeBuffer: r.u(), maxStates: r.u() };
  const img: Image = {
    format: IMAGE_FORMAT,
    version: IMAGE_VERSION,
    name,
    code,
    labels,
    strings,
    counters,
    memory: { size, init, symbols },
    threadsPerCore,
    threads,
    vectors,
    events,
    observe,
    limits,
  };
  if (r.u() === 1) {
    const files = Array.from({ length: r.n(lim, 'file') }, () => r.str());
    const locs = Array.from({ length: r.n(lim, 'loc') }, () => ({ file: r.u(), line: r.u(), col: r.u() }));
    img.source = { files, locs };
  }
  const meta = r.str();
  if (meta !== '') img.meta = JSON.parse(meta);
  if (r.pos !== end) throw new ImageError('binary image has trailing bytes', 'E_IMAGE_CORRUPT');
  validateImage(img);
  return img;
}

/** A short stable hash of an image (hex FNV-1a 64 over the binary encoding minus meta). */
export function imageHash(img: Image): string {
  const bytes = encodeImage({ ...img, meta: undefined, source: undefined });
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < bytes.length; i++) {
    h1 = Math.imul(h1 ^ bytes[i]!, 0x01000193);
    h2 = Math.imul(h2 ^ bytes[i]!, 0x5bd1e995) ^ (h2 >>> 15);
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}
