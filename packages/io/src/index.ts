/**
 * `@naplab/io`: the small Node.js file helpers that `@naplab/runner` and `@naplab/report` share
 * (they are siblings and may not import each other). Errors are plain: each caller wraps them in
 * its own coded error.
 */
export { writeFileAtomic } from './atomic.js';
export { type JsonErrorLocation, locateJsonError } from './json-error.js';
export { formatJson } from './json-text.js';
