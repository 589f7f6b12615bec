import pkg from '../package.json';

/** The naplab version recorded in results files (this package's version). */
export const NAPLAB_VERSION: string = pkg.version;
