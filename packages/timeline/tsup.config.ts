import { defineConfig } from 'tsup';
import { config } from '../../tsup.base';

export default defineConfig(config());
