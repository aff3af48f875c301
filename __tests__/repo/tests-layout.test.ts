/**
 * The test layout of __tests__/README.md: every test file lies in a folder of
 * a vitest project (a file outside them would never run), and each layer's
 * folder mirrors a folder of src/.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../harness/runner.ts';
import { LAYERS } from '../../vitest.config.ts';

const TESTS = join(ROOT, '__tests__');
const folders = readdirSync(TESTS).filter((name) => statSync(join(TESTS, name)).isDirectory());
const inProjects = new Set<string>(Object.values(LAYERS).flat());

describe('the test layout', () => {
  it('every test file is in the folder of a vitest project; no test file at the top', () => {
    expect(readdirSync(TESTS).filter((name) => name.endsWith('.test.ts'))).toEqual([]);
    for (const folder of folders) {
      const tests = (readdirSync(join(TESTS, folder), { recursive: true }) as string[]).filter((name) =>
        name.endsWith('.test.ts'),
      );
      if (!inProjects.has(folder)) expect(tests, `__tests__/${folder}/ is in no project`).toEqual([]);
    }
    expect([...inProjects].filter((folder) => !folders.includes(folder))).toEqual([]);
  });

  it('the unit folders are the folders of src/', () => {
    const src = readdirSync(join(ROOT, 'src')).filter((name) => statSync(join(ROOT, 'src', name)).isDirectory());
    expect([...LAYERS.unit].sort()).toEqual(src.sort());
  });
});
