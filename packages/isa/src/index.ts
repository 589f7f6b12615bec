export * from './opcodes.js';
export * from './image.js';
export * from './binary.js';
export * from './rng.js';
export * from './engine-api.js';
