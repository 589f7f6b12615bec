import { defineConfig } from 'vitest/config';
import { testConfig } from '../../vitest.base';

// Worker threads and the child processes of the kill test run the built dist/, so the global
// setup rebuilds it when a source file is newer.
export default defineConfig({ test: { ...testConfig, globalSetup: ['test/global-setup.ts'] } });
