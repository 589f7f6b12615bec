import type { Engine } from '@naplab/isa';
import { CliError } from './errors.js';

export const ENGINE_NAMES = ['wasm', 'reference'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/** Load an engine by name. The WebAssembly engine is the default; the reference engine is the oracle. */
export async function loadEngine(name: string, opts: { maxMemoryMiB?: number } = {}): Promise<Engine> {
  if (name === 'reference') {
    if (opts.maxMemoryMiB !== undefined)
      throw new CliError(
        'NAP053',
        "'--max-memory' caps the WebAssembly engine's memory; the reference engine has none of its own",
        "drop '--max-memory', or use '--engine wasm'",
      );
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
    if (opts.maxMemoryMiB !== undefined)
      return m.createWasmEngine({ maxMemoryMiB: opts.maxMemoryMiB }) as Engine;
    return m.wasmEngine as Engine;
  }
  throw new CliError('NAP004', `unknown engine '${name}'; valid: ${ENGINE_NAMES.join(', ')}`);
}

/** The memory models each engine implements (both implement all of them since the power port). */
const ENGINE_MODELS: Record<EngineName, readonly string[]> = {
  wasm: ['sc', 'tso', 'power'],
  reference: ['sc', 'tso', 'power'],
};

/** Refuse an engine / memory-model pair the engine does not implement, before any work (NAP019). */
export function checkEngineSupports(engine: string, memory: string): void {
  const models = ENGINE_MODELS[engine as EngineName];
  if (models && !models.includes(memory)) {
    throw new CliError(
      'NAP019',
      `the '${memory}' memory model is not implemented by the ${engine} engine`,
      `the ${engine} engine supports ${models.join(', ')}`,
    );
  }
}
