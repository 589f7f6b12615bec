import type { Engine } from '@naplab/isa';
import { RunnerError } from './errors.js';
import type { EngineName } from './job.js';

const PACKAGES: Record<EngineName, { pkg: string; exportName: string }> = {
  reference: { pkg: '@naplab/engine-ref', exportName: 'referenceEngine' },
  wasm: { pkg: '@naplab/engine', exportName: 'wasmEngine' },
};

/**
 * Load an engine by name. Imported lazily, so a job on one engine never needs the other built.
 * Throws `RunnerError('E_ENGINE_LOAD')` with the build command when the package is not usable.
 */
export async function loadEngine(name: EngineName): Promise<Engine> {
  const { pkg, exportName } = PACKAGES[name];
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pkg)) as Record<string, unknown>;
  } catch (e) {
    throw new RunnerError(
      'E_ENGINE_LOAD',
      `cannot load the ${name} engine (${pkg}): ${(e as Error).message}; build it with 'pnpm --filter ${pkg} build'`,
    );
  }
  const engine = mod[exportName] as Engine | undefined;
  if (!engine || typeof engine.runTrials !== 'function') {
    throw new RunnerError(
      'E_ENGINE_LOAD',
      `${pkg} does not export an engine named ${exportName}; build it with 'pnpm --filter ${pkg} build'`,
    );
  }
  return engine;
}
