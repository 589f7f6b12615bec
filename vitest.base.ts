// Shared vitest settings: tests live next to the code (src/**/*.test.ts).
export const testConfig = {
  include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  testTimeout: 60_000,
  hookTimeout: 60_000,
};
