// Sets of nonzero 64-bit state hashes in linear memory (the visited tables of explore.ts and
// shortest.ts): open addressing with linear probing, a power-of-two capacity, doubled when three
// quarters full (at most 2^28 slots, 2 GiB, in the 4 GiB core: about 200 million states; the
// depth-first search sizes its table at once for a bound above 2^25 states, explore.ts).
// 0 marks an empty slot (stateHash never returns 0).

import { alloc } from './layout';

/** The slot holding `h` in the table at `table` (capacity mask + 1), or the empty slot where it belongs. */
// @ts-ignore: decorator
@inline export function probe64(table: usize, mask: u32, h: u64): usize {
  let i = <u32>h & mask;
  while (true) {
    const slot = table + (<usize>i << 3);
    const v = load<u64>(slot);
    if (v == h || v == 0) return slot;
    i = (i + 1) & mask;
  }
}

/**
 * A table of twice the capacity holding the same hashes; its mask is `mask * 2 + 1`. Returns 0
 * when memory is exhausted (the old table is left as it was).
 */
export function grow64(table: usize, mask: u32): usize {
  const oldCap = mask + 1;
  const cap = oldCap * 2;
  if (cap == 0) return 0;
  const p = alloc(<u64>cap << 3);
  if (p == 0) return 0;
  memory.fill(p, 0, <usize>cap << 3);
  const newMask = cap - 1;
  for (let i: u32 = 0; i < oldCap; i++) {
    const v = load<u64>(table + (<usize>i << 3));
    if (v != 0) store<u64>(probe64(p, newMask, v), v);
  }
  return p;
}
