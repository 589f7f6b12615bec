/**
 * The part of the WebAssembly JS API the loader uses. Node has it at run time, but neither the
 * ES2022 lib nor @types/node 20 declares it (it lives in the DOM lib, which does not apply here).
 */
declare namespace WebAssembly {
  class Module {
    constructor(bytes: BufferSource);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
  }
}
type BufferSource = ArrayBufferView | ArrayBuffer;
