// The images the speed benchmark runs. Each entry: { name, family, image }.
//   family 'sb'   : the SB-family litmus images (target: >= 20 million simulated steps/s, wasm)
//   family 'long' : longer programs with interrupts
// To add images (e.g. the POWER8 model scenarios), append a loader to EXTRA_IMAGE_LOADERS.
import { readFileSync } from 'node:fs';
import { linkImage, litmusToImage, parseLitmus } from '@naplab/asm';
import { LPCR_PECEDH } from '@naplab/isa';

const ROOT = new URL('../', import.meta.url);

export const SB_FAMILY = ['SB', 'SB+syncs', 'SB+lwsyncs', 'MP', 'IRIW'];

function litmus(name) {
  const text = readFileSync(new URL(`litmus/${name}.litmus`, ROOT), 'utf8');
  return litmusToImage(parseLitmus(`${name}.litmus`, text));
}

/** benchmarks/programs/kvm-like.S on 4 threads: doorbell wakeups, lwarx/stwcx., stray IPIs. */
function kvmLike() {
  const secondary = { status: 'napping', lpcr: LPCR_PECEDH, regs: { 9: 0, 10: 'items', 11: 'active' } };
  return linkImage({
    name: 'kvm-like',
    sources: [
      { file: 'kvm-like.S', text: readFileSync(new URL('programs/kvm-like.S', import.meta.url), 'utf8') },
    ],
    globals: [{ name: 'items' }, { name: 'active' }, { name: 'shutdown' }],
    threadsPerCore: 2,
    threads: [
      { name: 'primary', entry: 'primary' },
      { name: 's1', ...secondary },
      { name: 's2', ...secondary },
      { name: 's3', ...secondary },
    ],
    vectors: { systemReset: 'sreset', external: 'ipi' },
    events: [
      { kind: 'external', cpu: 1, count: 2 },
      { kind: 'external', cpu: 2, count: 2 },
    ],
    observe: [{ mem: 'items' }, { mem: 'active' }],
    limits: { maxSteps: 2000 },
  });
}

/** Loaders of further images: () => [{ name, family, image }]. */
export const EXTRA_IMAGE_LOADERS = [];

export function benchmarkImages() {
  return [
    ...SB_FAMILY.map((name) => ({ name, family: 'sb', image: litmus(name) })),
    { name: 'kvm-like', family: 'long', image: kvmLike() },
    ...EXTRA_IMAGE_LOADERS.flatMap((load) => load()),
  ];
}
