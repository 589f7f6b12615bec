export * from './binary.js';
export * from './cost-model.js';
export * from './engine-api.js';
export * from './image.js';
export * from './opcodes.js';
export * from './pct.js';
export * from './rng.js';
export * from './timed.js';
