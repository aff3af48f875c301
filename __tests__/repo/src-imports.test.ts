/**
 * The imports of src/ point one way, type-only imports included: lint enforces
 * the layers (no-restricted-imports) and value cycles (import-x/no-cycle, which
 * passes over `import type`); this test finds any cycle, types too, over the
 * relative imports of every module.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../harness/runner.ts';

const SRC = join(ROOT, 'src');

/** Every relative import (static, type-only, re-export or dynamic) of each module, as paths under src/. */
function importGraph(): Map<string, string[]> {
  const files = (readdirSync(SRC, { recursive: true }) as string[])
    .map((name) => name.replaceAll('\\', '/'))
    .filter((name) => name.endsWith('.ts'));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(join(SRC, file), 'utf8');
    const targets = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+\.ts)'/gu)].map((match) =>
      normalize(join(dirname(file), match[1] ?? '')).replaceAll('\\', '/'),
    );
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** The cycles of `graph`, each as the path that closes it (depth-first search). */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (node: string, path: string[]): void => {
    state.set(node, 'open');
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...path.slice(path.indexOf(next)), node, next]);
      else if (!state.has(next)) visit(next, [...path, node]);
    }
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node, []);
  return found;
}

describe('src/ imports', () => {
  const graph = importGraph();

  it('reads the modules and their imports (the scan is not vacuous)', () => {
    expect(graph.size).toBeGreaterThan(30);
    expect(graph.get('main.ts')).toContain('runner/inputs.ts');
    expect(graph.get('runner/entra-inputs.ts')).toContain('runner/inputs.ts');
  });

  it('has no import cycle, type-only imports included', () => {
    expect(cycles(graph).map((cycle) => cycle.join(' → '))).toEqual([]);
  });

  it('finds a cycle made of type-only imports', () => {
    const made = new Map(graph);
    made.set('runner/inputs.ts', [...(graph.get('runner/inputs.ts') ?? []), 'runner/entra-inputs.ts']);
    expect(cycles(made).length).toBeGreaterThan(0);
  });
});
