import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AsmError } from '@naplab/asm';
import {
  LPCR_PECE0,
  LPCR_PECE1,
  LPCR_PECEDH,
  PEND_DBELL,
  PEND_EXT,
  STATUS_NAPPING,
  STATUS_RUNNING,
} from '@naplab/isa';
import { describe, expect, it } from 'vitest';
import {
  codeLabelAt,
  compileScenario,
  getBuiltinScenario,
  KVM_HWTHREAD_IN_IDLE,
  KVM_HWTHREAD_IN_KERNEL,
  memorySymbolAt,
  PER_THREAD_FIELDS,
  ScenarioError,
  scenarioToImageSpec,
  WAKEUP_VARIANTS,
  wakeupSource,
} from './index.js';

const tmp = mkdtempSync(join(tmpdir(), 'naplab-power8-kvm-'));

function cell(image: ReturnType<typeof compileScenario>, name: string): number {
  const sym = image.memory.symbols.find((s) => s.name === name);
  if (!sym) throw new Error(`no symbol ${name}`);
  return image.memory.init.find(([a]) => a === sym.addr)?.[1] ?? 0;
}

describe('compileScenario', () => {
  it('places the kernel paths of power8-cede-small on its four CPUs', () => {
    const image = compileScenario(getBuiltinScenario('power8-cede-small'));
    expect(image.threadsPerCore).toBe(2);
    expect(image.threads.map((t) => [t.name, t.status, t.mustHalt])).toEqual([
      ['ksmd', STATUS_RUNNING, true],
      ['offline', STATUS_NAPPING, false],
      ['primary', STATUS_RUNNING, true],
      ['secondary', STATUS_NAPPING, false],
    ]);
    expect(codeLabelAt(image, image.threads[0]!.pc)).toBe('ksm_scan_thread_sent');
    expect(codeLabelAt(image, image.threads[2]!.pc)).toBe('kvmppc_vcpu_run_hv');
    // the vCPU task starts with interrupts off and ksmd's IPI pending; the secondary has its stray doorbell
    expect(image.threads[2]!.msrEE).toBe(0);
    expect(image.threads[2]!.pending).toBe(PEND_EXT);
    expect(image.threads[3]!.pending).toBe(PEND_DBELL);
    expect(image.threads[3]!.lpcr).toBe(LPCR_PECE0 | LPCR_PECEDH);
    expect(image.threads[2]!.lpcr).toBe(LPCR_PECE0 | LPCR_PECE1 | LPCR_PECEDH);
    expect(image.events).toEqual([]);
    // the primary last woke from host idle (IN_KERNEL); offline threads nap IN_IDLE in their loop
    expect(cell(image, 'HSTATE_HWTHREAD_STATE@cpu2')).toBe(KVM_HWTHREAD_IN_KERNEL);
    expect(cell(image, 'HSTATE_HWTHREAD_STATE@cpu3')).toBe(KVM_HWTHREAD_IN_IDLE);
    expect(cell(image, 'PACAR1@cpu2')).toBe(image.labels.power7_idle_type_return);
    expect(cell(image, 'PACAR1@cpu3')).toBe(image.labels.pnv_cpu_offline_return);
    expect(cell(image, 'HSTATE_PTID@cpu3')).toBe(1);
    // ksmd's csd for CPU 2 is locked and queued, in CPU 2's per-cpu area
    expect(cell(image, 'CSD_FLAGS@cpu2')).toBe(1);
    expect(cell(image, 'CALL_SINGLE_QUEUE@cpu2')).toBe(1);
    const csd = image.memory.symbols.find((s) => s.name === 'CSD_FLAGS@cpu2')!;
    expect(csd.cpu).toBe(2);
    expect(memorySymbolAt(image, csd.addr)).toBe('CSD_FLAGS@cpu2');
    expect(image.vectors.systemReset).toBe(image.labels.system_reset_pSeries);
    expect(image.vectors.external).toBe(image.labels.hardware_interrupt_common);
    expect(image.meta?.variant).toBe('fixed');
  });

  it('lays the per-thread blocks out PACA_SIZE cells apart, as the model steps through them', () => {
    const image = compileScenario(getBuiltinScenario('power8-cede'));
    const addr = (n: string) => image.memory.symbols.find((s) => s.name === n)!.addr;
    expect(addr('HSTATE_HWTHREAD_REQ@cpu5') - addr('HSTATE_HWTHREAD_REQ@cpu4')).toBe(
      PER_THREAD_FIELDS.length,
    );
    expect(image.threads).toHaveLength(8);
    expect(image.events.map((e) => e.cpu)).toEqual([5, 6, 7, 4, 4]);
  });

  it('compiles every variant, with the counters of the wakeup section', () => {
    for (const variant of WAKEUP_VARIANTS) {
      const image = compileScenario({ ...getBuiltinScenario('power8-cede-small'), variant });
      expect(image.counters).toEqual(expect.arrayContaining(['wakeup', 'wakeup_to_kvm', 'wakeup_to_host']));
      expect(image.counters.includes('wakeup_sync')).toBe(variant !== 'nosync');
      expect(image.counters.includes('wakeup_skip_sync')).toBe(variant !== 'baseline');
    }
  });

  it('takes a custom wakeup file in place of a variant', () => {
    const file = join(tmp, 'my-fixed.s');
    writeFileSync(file, wakeupSource('fixed').text);
    const custom = compileScenario({ ...getBuiltinScenario('power8-cede-small'), wakeupFile: file });
    const shipped = compileScenario(getBuiltinScenario('power8-cede-small'));
    expect(custom.code).toEqual(shipped.code);
    expect(custom.meta?.variant).toBe('custom');
    expect(
      scenarioToImageSpec({ ...getBuiltinScenario('power8-cede-small'), wakeupFile: file }).sources[2]!.file,
    ).toBe(file);
  });

  it("surfaces the assembler's diagnostic for a custom wakeup file that does not assemble", () => {
    const file = join(tmp, 'typo.s');
    writeFileSync(
      file,
      'pnv_powersave_wakeup_kvm:\n\tlbz\tr0,HSTATE_HWTHREAD_REQ(r13)\n\tcmpwi\tr0,0\n\tbeq\tpnv_wakeup_nolos\n',
    );
    let err: unknown;
    try {
      compileScenario({ ...getBuiltinScenario('power8-cede-small'), wakeupFile: file });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScenarioError);
    const e = err as ScenarioError;
    expect(e.code).toBe('E_WAKEUP_ASM');
    expect(e.message).toContain(`${file}:4:`);
    expect(e.message).toContain('pnv_wakeup_nolos');
    expect(e.message).toContain('|'); // the code frame
    expect(e.cause).toBeInstanceOf(AsmError);
  });

  it('says so when the custom wakeup file cannot be read', () => {
    let err: unknown;
    try {
      compileScenario({ ...getBuiltinScenario('power8-cede-small'), wakeupFile: join(tmp, 'missing.s') });
    } catch (e) {
      err = e;
    }
    expect((err as ScenarioError).code).toBe('E_WAKEUP_FILE');
  });
});
