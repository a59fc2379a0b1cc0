import { defineConfig } from 'vitest/config';

// The container tests (npm run test:containers), apart from `npm test`: they need root, a Docker
// engine (Debian's docker.io, started by the global setup) and debootstrap, and take minutes.
// See docs/containers.md.
export default defineConfig({
  test: {
    name: 'containers',
    globalSetup: ['./test/containers/support/global-setup.ts'],
    setupFiles: ['./test/support/loopback-only.ts'],
    environment: 'node',
    include: ['test/containers/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
