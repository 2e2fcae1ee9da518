import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Integration tests each start real HTTP servers on ephemeral ports; two cores here, so keep the pool small.
    maxWorkers: 2,
  },
});
