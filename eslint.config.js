// ESLint flat config: typescript-eslint's recommended rules over src, tests and scripts.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

/** One lint block per layer of src/: the relative imports it may not make. */
function layers(rules) {
  return rules.map(([files, forbidden]) => ({
    files: [files],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: forbidden,
              message: 'src/ imports point one way: net ← client ← runner ← flows ← main (CONTRIBUTING.md, "Layout").',
            },
          ],
        },
      ],
    },
  }));
}

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/', 'build/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    // src logs only through @actions/core, so nothing bypasses masking.
    rules: { 'no-console': 'error' },
  },
  // No import cycles anywhere in src/ (within a layer too).
  {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver()],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/extensions': ['.ts'],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  // src/ layers: imports point one way, net ← client ← runner ← flows ← main/index
  // (errors.ts is the shared vocabulary every layer may use; it imports nothing).
  ...layers([
    ['src/errors.ts', ['./**']],
    ['src/net/**', ['../**']],
    ['src/client/**', ['../runner/**', '../flows/**', '../main.ts', '../index.ts']],
    ['src/runner/**', ['../flows/**', '../main.ts', '../index.ts']],
    ['src/flows/**', ['../net/**', '../main.ts', '../index.ts']],
    ['src/main.ts', ['./index.ts']],
  ]),
  { files: ['scripts/**', '__tests__/**', 'harness/**', 'bench/**'], rules: { 'no-console': 'off' } },
  // Plain CommonJS and ES5, so that any Node can parse it and say that Node 24 is needed.
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off', 'no-var': 'off' },
  },
);
