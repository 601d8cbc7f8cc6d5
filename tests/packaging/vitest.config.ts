import { defineConfig } from 'vitest/config';

// The packaging checks of the published packages (issue #10): pack + install with npm + import + README
// example, publint and attw, changeset version on a fixture. Needs the packages built and the npm registry.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['**/*.test.ts'],
    globalSetup: ['./global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
