/**
 * Without the Entra inputs nothing of the hand-off loads: the modules of the Microsoft side are
 * reached from the entry file only through `import()` (main.ts), never through a static import,
 * so `npm run bench` (runs without Entra inputs) pays nothing for them.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
const ENTRA_MODULES = [
  'client/github-oidc.ts',
  'client/entra.ts',
  'client/graph.ts',
  'flows/entra-handoff.ts',
  'flows/entra-check.ts',
  'flows/entra.ts',
  'runner/entra-inputs.ts',
  'runner/entra-summary.ts',
];

/** The src files a file loads at run time through static imports (type-only imports are erased). */
function staticClosure(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(join(SRC, file), 'utf8');
    for (const match of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'(\.[^']+)'/gmu)) {
      const target = join(dirname(file), match[1] ?? '');
      visit(target);
    }
  };
  visit(entry);
  return seen;
}

describe('the Entra hand-off is loaded lazily', () => {
  it('the entry file reaches the platform modules statically (the scan is not vacuous)', () => {
    const closure = staticClosure('index.ts');
    expect(closure).toContain('main.ts');
    expect(closure).toContain('client/request.ts');
    expect(closure).toContain('flows/provision.ts');
  });

  it('no Entra module is reached without import()', () => {
    const closure = staticClosure('index.ts');
    expect(ENTRA_MODULES.filter((file) => closure.has(file))).toEqual([]);
  });

  it('main.ts loads the Entra flows with import()', () => {
    const main = readFileSync(join(SRC, 'main.ts'), 'utf8');
    expect(main).toContain("import('./flows/entra.ts')");
    // One import() for all of it: the bundle then loads one chunk.
    expect(main.match(/import\(/gu)).toHaveLength(1);
  });
});
