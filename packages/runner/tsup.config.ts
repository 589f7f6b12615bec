import { defineConfig } from 'tsup';
import { config } from '../../tsup.base';

// worker.ts is a second entry: the pool loads it from dist with new URL('./worker.js', import.meta.url).
export default defineConfig(config({ entry: ['src/index.ts', 'src/worker.ts'] }));
