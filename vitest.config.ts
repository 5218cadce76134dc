import { defineConfig } from 'vitest/config';

// Unit tests (*.test.ts) need nothing running; integration tests (*.int.test.ts, test/**)
// talk to real Redis, a real S3 API, Dovecot and Chromium, which the harness starts.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['shared/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'samples/**/*.test.ts', 'infra/src/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          // Installs (as root on Debian/Ubuntu) or names what the integration tests need, once per run.
          globalSetup: ['scripts/test-env.ts'],
          include: ['shared/*/src/**/*.int.test.ts', 'services/*/src/**/*.int.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/node_modules/**'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
