import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileScenario, loadScenarioFile, ScenarioError } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'naplab-scenarios-'));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

async function loadError(path: string): Promise<ScenarioError> {
  try {
    await loadScenarioFile(path);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return e as ScenarioError;
  }
  throw new Error('expected a ScenarioError');
}

const SCENARIO = {
  name: 'from-a-file',
  cores: 2,
  threadsPerCore: 2,
  guest: { cpus: [2], secondaries: 1 },
  ksmd: { cpu: 0 },
  variant: 'buggy',
};

describe('loadScenarioFile', () => {
  it('reads a .json options object, resolving a relative wakeupFile next to it', async () => {
    write('mine.s', 'pnv_powersave_wakeup_kvm:\n\tb\tkvm_start_guest\n');
    const path = write('s.json', JSON.stringify({ ...SCENARIO, wakeupFile: 'mine.s' }));
    const s = await loadScenarioFile(path);
    expect(s).toEqual({ ...SCENARIO, wakeupFile: join(dir, 'mine.s') });
    expect(compileScenario(s).meta?.variant).toBe('custom');
  });

  it('transpiles a .ts file and takes its default export', async () => {
    const path = write(
      'scenario.ts',
      [
        "import type { Scenario } from '@naplab/power8-kvm';",
        'const threads: number = 2;',
        'const s: Scenario = {',
        "  name: 'typed',",
        '  cores: 2,',
        '  threadsPerCore: threads,',
        '  guest: { cpus: [2], secondaries: threads - 1 },',
        "  variant: 'fixed',",
        '};',
        'export default s;',
      ].join('\n'),
    );
    const s = await loadScenarioFile(path);
    expect(s).toEqual({
      name: 'typed',
      cores: 2,
      threadsPerCore: 2,
      guest: { cpus: [2], secondaries: 1 },
      variant: 'fixed',
    });
    // the transpiled module is imported from a temporary file that is removed again
    expect(readdirSync(dir).filter((f) => f.endsWith('.naplab.mjs'))).toEqual([]);
  });

  it('imports a .mjs module whose default export is a function', async () => {
    const path = write('fn.mjs', `export default () => (${JSON.stringify(SCENARIO)});\n`);
    expect(await loadScenarioFile(path)).toEqual(SCENARIO);
  });

  it('reports files it cannot use', async () => {
    const yaml = await loadError(write('s.yaml', 'cores: 2\n'));
    expect(yaml.code).toBe('E_SCENARIO_FILE');
    expect(yaml.message).toContain("unknown scenario file type '.yaml'");
    expect((await loadError(write('bad.json', '{ cores: 2 '))).message).toContain('is not valid JSON');
    expect((await loadError(write('named.mjs', 'export const s = {};\n'))).message).toContain(
      'has no default export',
    );
    expect((await loadError(join(dir, 'absent.json'))).message).toContain('cannot read');
    expect((await loadError(write('broken.ts', 'export default { cores: ;\n'))).message).toContain(
      'does not transpile',
    );
  });

  it('checks the scenario it loads, naming the file', async () => {
    const path = write('wide.json', JSON.stringify({ ...SCENARIO, threadsPerCore: 16 }));
    const e = await loadError(path);
    expect(e.code).toBe('E_THREADS_PER_CORE');
    expect(e.message.startsWith(`${path}: threadsPerCore: must be an integer 2..8`)).toBe(true);
  });
});
