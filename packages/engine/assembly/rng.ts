// The seeded generator: bit-identical to @naplab/isa `src/rng.ts` (xoshiro128**, keyed by
// (seed, trial) through the murmur3 finaliser). test/rng.test.ts checks RNG_TEST_VECTORS and a
// long stream of `below(n)` draws against the TypeScript class.

let s0: u32 = 0;
let s1: u32 = 0;
let s2: u32 = 0;
let s3: u32 = 0;

// @ts-ignore: decorator
@inline function fmix32(h: u32): u32 {
  h ^= h >>> 16;
  h *= 0x85ebca6b;
  h ^= h >>> 13;
  h *= 0xc2b2ae35;
  h ^= h >>> 16;
  return h;
}

/** Re-key for (seed, trial); trial = hi * 2^32 + lo. */
export function rngReset(seed: u32, lo: u32, hi: u32): void {
  const k = fmix32(seed ^ 0x9e3779b9);
  const t = fmix32(lo ^ (hi * 0x27d4eb2f) ^ 0x85ebca6b);
  s0 = fmix32(k ^ t ^ 0x243f6a88);
  s1 = fmix32((k + 0x3c6ef372) ^ t);
  s2 = fmix32(k ^ (t + 0xa54ff53a));
  s3 = fmix32((k + t) ^ 0x510e527f);
  if ((s0 | s1 | s2 | s3) == 0) s0 = 1;
}

/** Next unsigned 32-bit value. */
// @ts-ignore: decorator
@inline export function rngNext(): u32 {
  const x = s1 * 5;
  const result = rotl<u32>(x, 7) * 9;
  const t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl<u32>(s3, 11);
  return result;
}

// Small n (the number of enabled actions, a choose count) take a division-free path: per-n
// constants r = 2^32 mod n and Lemire's M = floor((2^64 - 1) / n) + 1, with which x mod n =
// high 64 bits of (M * x mod 2^64) * n (Lemire, Kaser, Kurz: "Faster remainder by direct
// computation", 2019). Exact for every 32-bit x, so the stream is bit-identical to `Rng.below`.
// @ts-ignore: decorator
@inline const FAST_N: u32 = 256;
/** FAST_N entries of (M: u64, r: u32, pad: u32) */
const fastTable: usize = memory.data(<i32>FAST_N * 16, 16);
let fastReady: bool = false;

/** Fill the per-n constants (once per instance). */
export function rngInit(): void {
  if (fastReady) return;
  for (let n: u32 = 2; n < FAST_N; n++) {
    const e = fastTable + (<usize>n << 4);
    store<u64>(e, <u64>0xffffffffffffffff / <u64>n + 1);
    store<u32>(e, (<u32>0 - n) % n, 8);
  }
  fastReady = true;
}

// @ts-ignore: decorator
@inline function fastmod(x: u32, M: u64, n: u32): u32 {
  const low = M * <u64>x;
  const hi = (low >> 32) * <u64>n;
  const lo = ((low & 0xffffffff) * <u64>n) >> 32;
  return <u32>((hi + lo) >> 32);
}

/**
 * Uniform integer in [0, n), unbiased by rejection exactly like `Rng.below`: values at or above
 * 2^32 - (2^32 mod n) are drawn again. n <= 1 draws nothing.
 */
export function rngBelow(n: u32): u32 {
  if (n <= 1) return 0;
  if (n < FAST_N) {
    const e = fastTable + (<usize>n << 4);
    const M = load<u64>(e);
    const r = load<u32>(e, 8);
    let x = rngNext();
    if (r != 0) {
      const limit: u32 = <u32>0 - r;
      while (x >= limit) x = rngNext();
    }
    return fastmod(x, M, n);
  }
  return rngBelowSlow(n);
}

function rngBelowSlow(n: u32): u32 {
  // 2^32 mod n, computed in 32 bits: (2^32 - n) mod n
  const negN: u32 = <u32>0 - n;
  const r: u32 = negN % n;
  let x = rngNext();
  if (r != 0) {
    const limit: u32 = 0 - r; // 2^32 - r
    while (x >= limit) x = rngNext();
  }
  return x % n;
}
