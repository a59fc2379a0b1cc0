import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias: { '#target': new URL('./test/support/node-target.ts', import.meta.url).pathname } },
        test: {
          name: 'node',
          globalSetup: ['./test/support/global-setup.ts'],
          environment: 'node',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/workers/**'],
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
    ],
  },
});
