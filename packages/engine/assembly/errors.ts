// Error reporting to the host: a code and an argument in the header (abi.ts, H_ERROR).
import { H_ERROR, H_ERROR_ARG } from './abi';
import { setHdr } from './layout';

export function setError(code: i32, arg: i32): void {
  setHdr(H_ERROR, code);
  setHdr(H_ERROR_ARG, arg);
}
