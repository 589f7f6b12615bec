import {
  AsmError,
  formatFinalState,
  linkImage,
  listing,
  litmusToImage,
  parseLitmus,
  renderDiagnostic,
  verdictOf,
} from '@naplab/asm';

// 1. Assembly -> image: two threads share the code; r13 points at each thread's own fields.
const image = linkImage({
  name: 'wakeup',
  sources: [
    {
      file: 'wake.s',
      text: `system_reset:
	lbz	r0,HSTATE_HWTHREAD_REQ(r13)
	cmpwi	r0,0
	bne	1f
	halt
1:	lost	"entered KVM"
`,
    },
  ],
  perThread: [{ name: 'HSTATE_HWTHREAD_REQ', init: (cpu) => cpu }],
  threads: [
    { name: 'cpu0', entry: 'system_reset' },
    { name: 'cpu1', entry: 'system_reset' },
  ],
});
process.stdout.write(listing(image));

// 2. A PPC litmus test -> image, and herd7-style results from final states.
const sb = parseLitmus(
  'SB.litmus',
  `PPC SB
{ 0:r2=x; 0:r4=y; 1:r2=y; 1:r4=x; }
 P0           | P1           ;
 li r1,1      | li r1,1      ;
 stw r1,0(r2) | stw r1,0(r2) ;
 lwz r3,0(r4) | lwz r3,0(r4) ;
exists (0:r3=0 /\\ 1:r3=0)
`,
);
const sbImage = litmusToImage(sb);
console.log(JSON.stringify(sbImage.observe));
console.log(formatFinalState(sb, [0, 1]));
console.log(
  verdictOf(sb, [
    [0, 1],
    [1, 0],
    [1, 1],
  ]),
);

// 3. Errors carry coded diagnostics that render with a code frame.
const bad = 'lwzz r3,0(r4)\n';
try {
  linkImage({
    name: 'typo',
    sources: [{ file: 'typo.s', text: bad }],
    threads: [{ name: 't', status: 'halted' }],
  });
} catch (e) {
  if (!(e instanceof AsmError)) throw e;
  for (const d of e.diagnostics) console.log(renderDiagnostic(d, bad));
}
