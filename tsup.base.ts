// The one build configuration every package extends: ESM + .d.ts from src/index.ts.
import type { Options } from 'tsup';

export function config(overrides: Options = {}): Options {
  return {
    entry: ['src/index.ts'],
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    ...overrides,
  };
}
