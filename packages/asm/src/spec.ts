/**
 * The linker input: everything besides instructions that an image needs. The scenario compiler
 * (`@naplab/scenario`) and the litmus front end both produce an `ImageSpec`; `linkImage(spec)`
 * assembles its sources and lays out memory into an `Image`.
 *
 * Symbol resolution inside assembly sources, in this order:
 *   1. code labels (instruction index), including GNU-as local labels `0:` / `0f` / `0b`;
 *   2. `.set NAME, expr` / `.equ NAME, expr` / `NAME = expr` equates (file scope, then `defines`);
 *   3. per-thread field names: the field's cell offset inside the thread's block
 *      (so `lbz r0,HSTATE_HWTHREAD_REQ(r13)` reads the current thread's field, since r13 of every
 *      thread starts at the base of its own block);
 *   4. global memory symbols: their address (cell index), including `FIELD@cpuN` (the absolute
 *      address of cpu N's copy of a per-thread field) and `paca@cpuN` (the base of cpu N's block).
 * The same names work in the spec's own symbolic values (`regs`, `init` strings, `observe.mem`),
 * which are expressions (`'frames+1'`); there code labels are instruction indices.
 */

export interface SourceFile {
  /** file name used in diagnostics (`file:line:col`) */
  file: string;
  text: string;
}

export interface GlobalVar {
  name: string;
  /** cells (default 1) */
  size?: number;
  /** initial value of every cell, or per-cell values; a string is a symbol (e.g. a code label's address) */
  init?: number | string | (number | string)[];
  /** the cpu that owns this location (lockup reports name it as stuck) */
  cpu?: number;
}

export interface PerThreadField {
  /** the symbolic displacement, e.g. `HSTATE_HWTHREAD_REQ` */
  name: string;
  /**
   * initial value in every thread's block (default 0), a symbol name (e.g. a code label, so a
   * saved-frame field can point at the offline loop), or a function of the cpu number
   */
  init?: number | string | ((cpu: number) => number | string);
}

export interface ThreadSpec {
  name: string;
  /** label where it starts (required when status is 'running') */
  entry?: string;
  status?: 'running' | 'napping' | 'halted';
  /** initial registers; values may be numbers or symbol names (resolved like operands) */
  regs?: Record<number, number | string>;
  msrEE?: 0 | 1;
  lpcr?: number;
  lpid?: number;
  /** initial pending bits (PEND_*) */
  pending?: number;
  /** default true */
  mustHalt?: boolean;
}

export interface ImageSpec {
  name: string;
  sources: SourceFile[];
  /** equates visible to every source (e.g. KVM_HWTHREAD_IN_KERNEL = 0) */
  defines?: Record<string, number>;
  globals?: GlobalVar[];
  /**
   * per-thread block (the PACA): laid out once per thread, after the globals; when it has at least
   * one field, every thread's r13 starts at its own block (unless `regs` sets r13). Each cell is a
   * memory symbol named `FIELD@cpuN` owned by cpu N.
   */
  perThread?: PerThreadField[];
  threadsPerCore?: number;
  threads: ThreadSpec[];
  /** vector labels (omit a vector for none) */
  vectors?: { systemReset?: string; external?: string; decrementer?: string; doorbell?: string };
  events?: {
    kind: 'doorbell' | 'external' | 'decrementer';
    cpu: number;
    count: number;
    whenNapping?: boolean;
  }[];
  /** observed registers and locations, e.g. `{ cpu: 1, reg: 3 }` or `{ mem: 'x' }` */
  observe?: ({ cpu: number; reg: number } | { mem: string })[];
  limits?: { maxSteps?: number; storeBuffer?: number; maxStates?: number };
  meta?: Record<string, unknown>;
}
