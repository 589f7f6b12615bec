// Shared vitest settings: tests live next to the code (src/**/*.test.ts) or in test/.

// vitest 5 prints failures with Map.groupBy, which Node 20 lacks (Node >= 21): without this,
// a failing test is reported as an "Unhandled Error" instead of its assertion diff. The config
// file is loaded in vitest's main process, where the reporter runs.
if (!(Map as any).groupBy) {
  (Map as any).groupBy = <K, V>(items: Iterable<V>, key: (v: V, i: number) => K): Map<K, V[]> => {
    const m = new Map<K, V[]>();
    let i = 0;
    for (const v of items) {
      const k = key(v, i++);
      const list = m.get(k);
      if (list) list.push(v);
      else m.set(k, [v]);
    }
    return m;
  };
}
if (!(Object as any).groupBy) {
  (Object as any).groupBy = <V>(items: Iterable<V>, key: (v: V, i: number) => PropertyKey) =>
    Object.fromEntries((Map as any).groupBy(items, key));
}

export const testConfig = {
  include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  testTimeout: 60_000,
  hookTimeout: 60_000,
};
