// ESLint flat config: typescript-eslint's recommended rules over src, tests and scripts.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/', 'build/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    // src logs only through @actions/core, so nothing bypasses masking.
    rules: { 'no-console': 'error' },
  },
  { files: ['scripts/**', '__tests__/**'], rules: { 'no-console': 'off' } },
  // Plain CommonJS and ES5, so that any Node can parse it and say that Node 24 is needed.
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' }, rules: { '@typescript-eslint/no-require-imports': 'off', 'no-var': 'off' } },
);
