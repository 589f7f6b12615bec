/**
 * The model's assembly sources, shipped in the package's `model/` directory and read at run time.
 * Both `src/` (tests) and `dist/` (the built package) sit one level below the package root.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SourceFile } from '@naplab/asm';

/** Absolute path of the package's `model/` directory. */
export const MODEL_DIR: string = fileURLToPath(new URL('../model/', import.meta.url));

/** The kernel files the model mirrors, in link order; the wakeup variant follows idle_book3s.s. */
export const MODEL_FILES = [
  'exceptions-64s.s',
  'idle_book3s.s',
  'book3s_hv_rmhandlers.s',
  'book3s_hv.s',
  'smp.s',
  'idle.s',
  'ksm.s',
] as const;

export const WAKEUP_VARIANTS = ['baseline', 'buggy', 'fixed', 'nosync'] as const;
export type WakeupVariant = (typeof WAKEUP_VARIANTS)[number];

/** One line per variant, for help texts and reports. */
export const WAKEUP_VARIANT_INFO: Readonly<Record<WakeupVariant, string>> = {
  baseline: 'before 8c1c7fb0b5ec: store IN_KERNEL, sync, test hwthread_req',
  buggy: '8c1c7fb0b5ec: already IN_KERNEL -> host-idle return, hwthread_req not tested',
  fixed: '56376c5864f8: already IN_KERNEL -> skip store and sync, still test hwthread_req',
  nosync: 'ablation (not kernel code): baseline without the sync',
};

/** The label every wakeup section starts at; it leaves through kvm_start_guest or pnv_wakeup_noloss. */
export const WAKEUP_ENTRY = 'pnv_powersave_wakeup_kvm';

const cache = new Map<string, string>();

function read(rel: string): string {
  let text = cache.get(rel);
  if (text === undefined) {
    text = readFileSync(`${MODEL_DIR}${rel}`, 'utf8');
    cache.set(rel, text);
  }
  return text;
}

/** A model file as a linker source, named `model/<rel>` in diagnostics. */
export function modelSource(rel: string): SourceFile {
  return { file: `model/${rel}`, text: read(rel) };
}

/** The shipped wakeup section of `variant`. */
export function wakeupSource(variant: WakeupVariant): SourceFile {
  return modelSource(`wakeup/${variant}.s`);
}

/** Every model source except the wakeup section, in link order. */
export function kernelSources(): SourceFile[] {
  return MODEL_FILES.map(modelSource);
}
