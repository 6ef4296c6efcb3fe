import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/gen/**', '.wasmbed/**', '**/*.js', '**/*.mjs', 'firmware/build/**', '.cache/**'],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      // Packages expose their API through index.ts only.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@wasmbed/*/*'], message: 'Import a workspace package by its name only; export what you need from its index.ts.' },
            { group: ['**/libs/*/src/**', '**/services/*/src/**', '**/tools/*/src/**', '**/emulation/*/src/**'], message: 'Do not reach into another package by path.' },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
