/**
 * Seeded generator of small PPC litmus tests for differential testing of the `power` model against
 * the ppc.cat oracle: 2 to 4 threads over x, y, z, each a few loads and stores joined by program
 * order, `sync`, `lwsync`, `isync`, address / data / control dependencies (with and without
 * `isync`), and now and then a branch that really skips an access. Every load register and every
 * location is observed, so comparing final-state sets compares everything.
 */

/** xorshift32: deterministic, no dependencies */
export class Gen {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  below(n: number): number {
    return this.next() % n;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.below(xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() / 0x100000000 < p;
  }
}

const LOCS = ['x', 'y', 'z'] as const;
const LOC_REG: Record<string, number> = { x: 10, y: 11, z: 12 };

export interface GenOptions {
  threads?: [number, number];
  accesses?: [number, number];
  locations?: number;
  /** extra weight for sync / lwsync edges (default 0) */
  fenceBias?: number;
}

/** One random litmus test (text), named `name`. */
export function genLitmus(g: Gen, name: string, opts: GenOptions = {}): string {
  const [tMin, tMax] = opts.threads ?? [2, 3];
  const [aMin, aMax] = opts.accesses ?? [1, 3];
  const nLoc = opts.locations ?? 2 + g.below(2);
  const locs = LOCS.slice(0, nLoc);
  const nT = tMin + g.below(tMax - tMin + 1);
  const storeCount: Record<string, number> = { x: 0, y: 0, z: 0 };
  const threads: string[][] = [];
  const observed: string[] = [];
  let label = 0;
  for (let t = 0; t < nT; t++) {
    const code: string[] = [];
    const nA = aMin + g.below(aMax - aMin + 1);
    let prevLoad = -1; // register of the previous access if it was a load
    let nextReg = 1;
    for (let k = 0; k < nA; k++) {
      const isLoad = g.chance(0.5);
      const loc = g.pick(locs);
      const lr = `r${LOC_REG[loc]}`;
      // the edge from the previous access
      const edges = ['po', 'po', 'sync', 'lwsync', 'isync'];
      for (let b = 0; b < (opts.fenceBias ?? 0); b++) edges.push('sync', 'lwsync');
      if (prevLoad >= 0) edges.push('addr', 'addr', 'ctrl', 'ctrlisync', 'ctrlisync');
      if (prevLoad >= 0 && !isLoad) edges.push('data', 'data');
      if (prevLoad >= 0) edges.push('skip');
      const edge = k === 0 ? 'po' : g.pick(edges);
      let skipLabel = '';
      switch (edge) {
        case 'sync':
        case 'lwsync':
        case 'isync':
          code.push(edge);
          break;
        case 'ctrl':
        case 'ctrlisync': {
          const l = `LC${label++}`;
          code.push(`cmpw r${prevLoad},r${prevLoad}`, `beq ${l}`, `${l}:`);
          if (edge === 'ctrlisync') code.push('isync');
          break;
        }
        case 'skip': {
          // a real branch: the access only happens when the previous load read 0
          skipLabel = `LC${label++}`;
          code.push(`cmpwi r${prevLoad},0`, `bne ${skipLabel}`);
          break;
        }
        default:
          break;
      }
      if (isLoad) {
        const r = nextReg++;
        if (edge === 'addr') code.push(`xor r7,r${prevLoad},r${prevLoad}`, `lwzx r${r},r7,${lr}`);
        else code.push(`lwz r${r},0(${lr})`);
        observed.push(`${t}:r${r}`);
        if (skipLabel) code.push(`${skipLabel}:`);
        prevLoad = r;
      } else {
        const v = ++storeCount[loc]!;
        if (edge === 'data')
          code.push(`xor r7,r${prevLoad},r${prevLoad}`, `addi r7,r7,${v}`, `stw r7,0(${lr})`);
        else if (edge === 'addr')
          code.push(`xor r7,r${prevLoad},r${prevLoad}`, `li r8,${v}`, `stwx r8,r7,${lr}`);
        else code.push(`li r8,${v}`, `stw r8,0(${lr})`);
        if (skipLabel) code.push(`${skipLabel}:`);
        prevLoad = g.chance(0.3) ? prevLoad : -1;
      }
    }
    threads.push(code);
  }
  const init = threads.map((_, t) => locs.map((l) => `${t}:r${LOC_REG[l]}=${l};`).join(' ')).join('\n');
  const width = Math.max(...threads.map((c) => Math.max(6, ...c.map((s) => s.length)))) + 1;
  const rows = Math.max(...threads.map((c) => c.length));
  const lines = [`${threads.map((_, t) => ` P${t}`.padEnd(width)).join('|')};`];
  for (let i = 0; i < rows; i++)
    lines.push(`${threads.map((c) => ` ${c[i] ?? ''}`.padEnd(width)).join('|')};`);
  const obs = [...locs, ...observed];
  return [
    `PPC ${name}`,
    '{',
    init,
    '}',
    ...lines,
    `locations [${obs.join('; ')};]`,
    `exists (${locs[0]}=0)`,
    '',
  ].join('\n');
}
