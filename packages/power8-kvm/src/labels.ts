/**
 * Code locations by name, for traces and timelines: `kvm_do_nap+3` reads better than `pc 187`.
 */
import type { Image } from '@naplab/isa';

/** The nearest code label at or before `pc`, as `label` or `label+offset` (`?` before any label). */
export function codeLabelAt(image: Image, pc: number): string {
  let best: string | undefined;
  let at = -1;
  for (const [name, index] of Object.entries(image.labels)) {
    if (index <= pc && index > at) {
      best = name;
      at = index;
    }
  }
  if (best === undefined) return '?';
  return pc === at ? best : `${best}+${pc - at}`;
}

/** The memory symbol containing `addr` (`FIELD@cpuN` for a per-thread field, `name[i]` inside an array). */
export function memorySymbolAt(image: Image, addr: number): string {
  for (const s of image.memory.symbols) {
    if (addr >= s.addr && addr < s.addr + s.size) return s.size > 1 ? `${s.name}[${addr - s.addr}]` : s.name;
  }
  return `@${addr}`;
}
