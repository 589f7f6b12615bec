import { defineConfig } from 'tsup';
import { config } from '../../tsup.base';

export default defineConfig(config({ entry: ['src/index.ts', 'src/bin.ts'] }));
