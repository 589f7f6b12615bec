import { defineConfig } from 'vitest/config';
import { testConfig } from '../../vitest.base';

// chromium-setup installs Debian's chromium for the browser test when it is missing
export default defineConfig({ test: { ...testConfig, globalSetup: ['test/chromium-setup.ts'] } });
