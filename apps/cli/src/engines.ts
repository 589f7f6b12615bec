import type { Engine } from '@naplab/isa';
import { CliError } from './errors.js';

export const ENGINE_NAMES = ['wasm', 'reference'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/** Load an engine by name. The WebAssembly engine is the default; the reference engine is the oracle. */
export async function loadEngine(name: string): Promise<Engine> {
  if (name === 'reference') {
    const m = await import('@naplab/engine-ref');
    return m.referenceEngine;
  }
  if (name === 'wasm') {
    const m: any = await import('@naplab/engine');
    if (!m.wasmEngine)
      throw new CliError(
        'NAP010',
        'the WebAssembly engine is not built',
        "run 'pnpm build' first, or use '--engine reference'",
      );
    return m.wasmEngine as Engine;
  }
  throw new CliError('NAP004', `unknown engine '${name}'; valid: ${ENGINE_NAMES.join(', ')}`);
}

/** The POWER memory model exists in the reference engine first; say so instead of failing later. */
export function checkEngineSupports(engine: string, memory: string): void {
  if (memory === 'power' && engine === 'wasm') {
    throw new CliError(
      'NAP019',
      "the 'power' memory model runs on the reference engine only in this version",
      "add '--engine reference' (the WebAssembly engine supports sc and tso)",
    );
  }
}
