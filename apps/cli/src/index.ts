export { CliError } from './errors.js';
export type { Io } from './io.js';
export { COMMANDS, main } from './main.js';
