/**
 * What dist/ carries. scripts/bundle.ts leaves undici out: `@actions/http-client`
 * imports it only for `getAgentDispatcher()`, which the action never calls, and
 * a stub (scripts/undici-stub.mjs) stands in for it. These tests fail if undici
 * comes back into dist/, and say so if an update of the libraries starts to use
 * undici where the action could reach it. __tests__/e2e/proxy.test.ts runs the
 * bundle through a proxy in both modes (the code it must carry).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { undiciStubUrl } from '../../scripts/bundle.ts';
import { DIST, ROOT } from '../../harness/runner.ts';

const MODULES = join(ROOT, 'node_modules');
const HTTP_CLIENT = join(MODULES, '@actions', 'http-client', 'lib', 'index.js');
/**
 * dist/index.js was 1.14 MB with undici, about 0.28 MB without; the failure round's wire
 * classification and the Entra inputs and summary brought it to about 0.33 MB (the Entra
 * clients and flows are chunks of their own, loaded only with the entra-* inputs).
 */
const MAX_DIST_BYTES = 350 * 1000;

/** Strings found in undici's own code (its global dispatcher and its diagnostics channels). */
const UNDICI_MARKERS = [
  { file: 'lib/global.js', text: 'undici.globalDispatcher.1' },
  { file: 'lib/core/diagnostics.js', text: 'undici:request:create' },
];

/** .js files under `dir`, without nested node_modules. */
function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !file.slice(dir.length).includes('node_modules'));
}

/** The JavaScript of the libraries the action bundles (not undici itself). */
function bundledLibraryFiles(): string[] {
  const actions = readdirSync(join(MODULES, '@actions')).map((name) => join(MODULES, '@actions', name));
  return [...actions, join(MODULES, 'tunnel')].filter(existsSync).flatMap(jsFiles);
}

/** Names imported from `undici` by `source`; `*` for a namespace import, a `require` or a dynamic import. */
function undiciImports(source: string): string[] {
  const names: string[] = [];
  for (const match of source.matchAll(/import\s+([^;]*?)\s+from\s*['"]undici['"]/gu)) {
    const clause = match[1] ?? '';
    const named = /\{([^}]*)\}/u.exec(clause);
    if (named)
      names.push(
        ...(named[1] ?? '')
          .split(',')
          .map((part) => part.trim().split(/\s+as\s+/u)[0] ?? '')
          .filter(Boolean),
      );
    if (clause.includes('*') || !named) names.push('*');
  }
  if (/(?:require|import)\s*\(\s*['"]undici['"]\s*\)/u.test(source)) names.push('*');
  return names;
}

/**
 * Names of the functions and class methods (4-space indent, as tsc emits
 * them) whose bodies hold a line matching `pattern`; header lines do not count.
 */
function functionsUsing(source: string, pattern: RegExp): Set<string> {
  const found = new Set<string>();
  let current = '(top level)';
  for (const line of source.split('\n')) {
    const header =
      /^(?:export )?(?:async )?function\*? ?([\w$]+)\s*\(|^ {4}(?:async |static |get |set )*([\w$]+)\s*\([^)]*\)\s*\{\s*$/u.exec(
        line,
      );
    if (header) {
      current = header[1] ?? header[2] ?? current;
      continue;
    }
    if (/^[^\s}]/u.test(line)) current = '(top level)';
    if (!/^import\s/u.test(line) && pattern.test(line)) found.add(current);
  }
  return found;
}

describe('dist/ holds each lazily loaded module once', () => {
  it('the Entra clients are in one chunk, not in index.js nor copied into a chunk per import()', () => {
    const files = readdirSync(join(ROOT, 'dist')).filter((name) => name.endsWith('.js'));
    const holding = files.filter((name) =>
      readFileSync(join(ROOT, 'dist', name), 'utf8').includes('validateCredentials'),
    );
    expect(holding).toHaveLength(1);
    expect(holding[0]).not.toBe('index.js');
  });
});

describe('dist/ leaves undici out', () => {
  it(`dist/index.js is at most ${MAX_DIST_BYTES / 1000} KB`, () => {
    expect(statSync(DIST).size).toBeLessThanOrEqual(MAX_DIST_BYTES);
  });

  it('dist/ carries none of undici: no license entry and none of its code', () => {
    expect(readFileSync(join(ROOT, 'dist', 'licenses.txt'), 'utf8')).not.toMatch(/^undici$/mu);
    const dist = readFileSync(DIST, 'utf8');
    for (const marker of UNDICI_MARKERS) {
      // The marker is undici's, so its absence from dist/ means something.
      expect(readFileSync(join(MODULES, 'undici', marker.file), 'utf8')).toContain(marker.text);
      expect(dist).not.toContain(marker.text);
    }
  });

  it('dist/index.js imports undici only as the current scripts/undici-stub.mjs', () => {
    const dist = readFileSync(DIST, 'utf8');
    expect(dist.split(`from "${undiciStubUrl()}"`)).toHaveLength(2);
    expect(dist).not.toMatch(/(?:from\s*|require\(\s*)["']undici["']/u);
  });

  it('the stub fails with a clear error if anything ever constructs its ProxyAgent', async () => {
    const { ProxyAgent } = (await import(undiciStubUrl())) as { ProxyAgent: new (options: unknown) => unknown };
    let error: unknown;
    try {
      new ProxyAgent({ uri: 'http://proxy.example:3128' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/undici is left out of this bundle \(scripts\/bundle\.ts\)/u);
    expect((error as { code?: string }).code).toBe('ERR_UNDICI_NOT_BUNDLED');
  });
});

describe("the libraries' use of undici stays off the action's path", () => {
  it('the stub exports every name the bundled libraries import from undici', async () => {
    const stub = Object.keys(await import(undiciStubUrl())).sort();
    const imported = [
      ...new Set(bundledLibraryFiles().flatMap((file) => undiciImports(readFileSync(file, 'utf8')))),
    ].sort();
    // If this changes, look at what the libraries now do with undici before extending the stub.
    expect(imported).toEqual(['ProxyAgent']);
    expect(stub).toEqual(imported);
  });

  it('@actions/http-client uses ProxyAgent only in getAgentDispatcher(), which neither the action nor @actions/core calls', () => {
    const source = readFileSync(HTTP_CLIENT, 'utf8');
    expect([...functionsUsing(source, /\bProxyAgent\b/u)]).toEqual(['_getProxyAgentDispatcher']);
    expect([...functionsUsing(source, /\b_getProxyAgentDispatcher\(/u)]).toEqual(['getAgentDispatcher']);
    const src = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.ts'))
      .map((name) => join(ROOT, 'src', name));
    expect(src.length).toBeGreaterThan(0);
    const callers = [...src, ...bundledLibraryFiles()].filter((file) =>
      /\.getAgentDispatcher\(/u.test(readFileSync(file, 'utf8')),
    );
    expect(callers).toEqual([]);
  });
});
