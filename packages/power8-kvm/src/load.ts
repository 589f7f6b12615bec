/**
 * Scenario files: `.json` (the options object), `.js` / `.mjs` (an ES module whose default export
 * is the scenario) and `.ts` / `.mts` (the same in TypeScript, transpiled with esbuild's
 * `transform`). A relative `wakeupFile` is taken relative to the scenario file.
 */
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolveScenario, type Scenario, ScenarioError } from './scenario.js';

const fail = (path: string, why: string, cause?: unknown): never => {
  throw new ScenarioError('E_SCENARIO_FILE', `${path}: ${why}`, undefined, { cause });
};

async function importDefault(path: string, url: string): Promise<unknown> {
  let mod: Record<string, unknown>;
  try {
    mod = await import(url);
  } catch (e) {
    return fail(path, `cannot load the module: ${(e as Error).message}`, e);
  }
  if (!('default' in mod))
    fail(path, 'has no default export; export the scenario as `export default { ... }`');
  const v = mod.default;
  return typeof v === 'function' ? await (v as () => unknown)() : v;
}

/** Load, check and return the scenario a file describes. Throws `ScenarioError`. */
export async function loadScenarioFile(path: string): Promise<Scenario> {
  const abs = resolve(path);
  const ext = extname(abs).toLowerCase();
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (e) {
    return fail(path, `cannot read: ${(e as Error).message}`, e);
  }
  let value: unknown;
  if (ext === '.json') {
    try {
      value = JSON.parse(text);
    } catch (e) {
      return fail(path, `is not valid JSON: ${(e as Error).message}`, e);
    }
  } else if (ext === '.js' || ext === '.mjs') {
    value = await importDefault(path, pathToFileURL(abs).href);
  } else if (ext === '.ts' || ext === '.mts') {
    const { transform } = await import('esbuild');
    let code: string;
    try {
      code = (await transform(text, { loader: 'ts', format: 'esm', sourcefile: abs, target: 'node20' })).code;
    } catch (e) {
      return fail(path, `does not transpile: ${(e as Error).message}`, e);
    }
    // next to the original, so that its relative and package imports resolve as they would
    const tmp = resolve(dirname(abs), `.${basename(abs, ext)}.${process.pid}.${Date.now()}.naplab.mjs`);
    await writeFile(tmp, code);
    try {
      value = await importDefault(path, pathToFileURL(tmp).href);
    } finally {
      await unlink(tmp).catch(() => {});
    }
  } else {
    return fail(path, `unknown scenario file type '${ext}'; use .json, .js, .mjs, .ts or .mts`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(path, 'does not describe a scenario object');
  }
  const scenario = { ...(value as Scenario) };
  if (typeof scenario.wakeupFile === 'string' && !isAbsolute(scenario.wakeupFile)) {
    scenario.wakeupFile = resolve(dirname(abs), scenario.wakeupFile);
  }
  try {
    resolveScenario(scenario);
  } catch (e) {
    if (e instanceof ScenarioError) {
      throw new ScenarioError(e.code, `${path}: ${e.message}`, undefined, { cause: e });
    }
    throw e;
  }
  return scenario;
}
