import { defineConfig } from 'vitest/config';
import { testConfig } from '../../vitest.base';

export default defineConfig({ test: testConfig });
