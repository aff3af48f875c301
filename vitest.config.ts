import { defineConfig } from 'vitest/config';

/**
 * Four projects, one per test layer (see __tests__/README.md). `npm test` runs
 * them all; `npm run test:fast` the ones that spawn no action run (unit, runs,
 * repo); `npm run test:e2e` the runs of the entry file; `npm run test:dist` the
 * same on the committed dist/index.js.
 */
const layer = (name: string, folders: string[]) => ({
  extends: true as const,
  test: { name, include: folders.map((folder) => `__tests__/${folder}/**/*.test.ts`) },
});

export const LAYERS = {
  unit: ['net', 'client', 'runner', 'flows'],
  runs: ['runs'],
  repo: ['repo'],
  e2e: ['e2e'],
} as const;

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default'],
    projects: Object.entries(LAYERS).map(([name, folders]) => layer(name, [...folders])),
  },
});
