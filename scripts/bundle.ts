/**
 * `npm run bundle`: builds dist/ from src/index.ts with @vercel/ncc, through
 * ncc's programmatic API (`require('@vercel/ncc')(entry, options)`), and
 * writes what it returns where `ncc build src/index.ts -o dist --license
 * licenses.txt` would: dist/index.js, dist/licenses.txt, dist/package.json.
 *
 * Why not the `ncc build` command: it lacks one option we need, an
 * externals *mapping* (`externals: { name: replacement }`).
 * `@actions/http-client` 4 has `import { ProxyAgent } from 'undici'` at its
 * top, used only by `getAgentDispatcher()` (for callers of `fetch`). This
 * action never calls it: its requests, proxies included, go through
 * node:http(s) and the `tunnel` package. Bundled, undici is about 0.94 MB
 * that every run parses and evaluates for nothing (about 40 ms and 8 MiB).
 * So the import of `undici` is mapped to a `data:` URL of
 * scripts/undici-stub.mjs: a `ProxyAgent` that throws a clear error (code
 * ERR_UNDICI_NOT_BUNDLED) if it is ever constructed. Node imports `data:`
 * URLs natively, so dist/ stays self-contained. node_modules and the
 * libraries' files are untouched, and tests and `node_modules` runs still
 * use the real undici. __tests__/repo/bundle.test.ts fails if undici comes back
 * into dist/, if http-client imports from undici a name the stub lacks or
 * uses it outside `getAgentDispatcher()`, and runs the bundle in both modes
 * through an `https_proxy`.
 *
 *   npm run bundle
 */
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The module that stands in for `undici` in bundles. */
export const UNDICI_STUB = join(ROOT, 'scripts', 'undici-stub.mjs');

/** ncc options this script passes on (the rest are ncc's defaults, as with `ncc build`). */
export interface BundleOptions {
  minify?: boolean;
  sourceMap?: boolean;
  sourceMapRegister?: boolean;
  target?: string;
  /** Bundle the real undici instead of the stub (only for `npm run bench -- --with-undici`, to compare). */
  withUndici?: boolean;
}

interface NccResult {
  code: string;
  map?: string;
  assets: Record<string, { source: string | Buffer; permissions?: number }>;
}
type NccOptions = Omit<BundleOptions, 'withUndici'> & {
  externals: Record<string, string>;
  license: string;
  quiet: boolean;
};
type Ncc = (entry: string, options: NccOptions) => Promise<NccResult>;

/**
 * `data:` URL of {@link UNDICI_STUB} without its `//` comment lines: what
 * `import … from 'undici'` becomes in a bundle.
 */
export function undiciStubUrl(): string {
  const code = readFileSync(UNDICI_STUB, 'utf8').replace(/^\s*\/\/.*\n/gmu, '');
  return `data:text/javascript,${encodeURIComponent(code)}`;
}

/**
 * Bundles `entry` (TypeScript or JavaScript, ESM) into `outDir`, which is
 * emptied first: `index.js`, `index.js.map` with `sourceMap`, and ncc's
 * assets (`licenses.txt`, `package.json`). Returns the path of `index.js`.
 * @throws what ncc throws when the entry does not compile or a module is missing.
 */
export async function bundle(entry: string, outDir: string, options: BundleOptions = {}): Promise<string> {
  const ncc = createRequire(import.meta.url)('@vercel/ncc') as Ncc;
  const { withUndici, ...nccOptions } = options;
  // undici → stub: see the top of this file.
  const externals: Record<string, string> = withUndici === true ? {} : { undici: undiciStubUrl() };
  const { code, map, assets } = await ncc(entry, { ...nccOptions, externals, license: 'licenses.txt', quiet: true });
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, 'index.js');
  writeFileSync(file, code);
  if (map !== undefined) writeFileSync(`${file}.map`, map);
  for (const [name, asset] of Object.entries(assets)) {
    mkdirSync(dirname(join(outDir, name)), { recursive: true });
    writeFileSync(join(outDir, name), asset.source, { mode: asset.permissions });
  }
  return file;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = await bundle(join(ROOT, 'src', 'index.ts'), join(ROOT, 'dist'));
  console.log(
    `${relative(ROOT, file)}: ${(statSync(file).size / 1024).toFixed(0)} KiB (undici left out: scripts/undici-stub.mjs stands in)`,
  );
}
