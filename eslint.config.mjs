// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.caravan/**', 'helm/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Architecture: a lib is used only through its index (@caravan/<lib>), never through its files.
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@caravan/*/*'], message: 'Import a lib through @caravan/<lib> only.' }] },
      ],
      // Config is read once, in libs/common/src/config.
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read settings through loadConfig() in @caravan/common.' },
      ],
    },
  },
  {
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@caravan/*/*'], message: 'Import a lib through @caravan/<lib> only.' },
            { group: ['**/apps/**', '../../apps/*'], message: 'Libs never import apps.' },
            { group: ['../../../*/src/*', '../../*/src/*'], message: "Use the other lib's @caravan/<lib> index." },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/common/src/config/caravan-config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['test/**/*.ts', '**/*.spec.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Written by `npm run sdk` (@hey-api/openapi-ts) and never edited by hand (a test fails when it is
    // stale); tsc still compiles it, only the rules its code breaks are off.
    files: ['libs/sdk/src/generated/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['scripts/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', __dirname: 'readonly', process: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off', 'no-restricted-properties': 'off' },
  },
);
