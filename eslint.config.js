// typescript-eslint with type information, after medplum's packages/eslint-config:
// floating promises, exhaustive switches and type-only imports are errors.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // Generated output and run data, wherever it lands (a workspace's own .data/ or dist/ too):
  // typed linting of thousands of files outside every tsconfig ran eslint out of memory.
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.data/**',
      '**/test-output/**',
      '**/coverage/**',
      '**/cdk.out/**',
      '**/.turbo/**',
      '**/.cache/**',
      '**/.scratch/**',
      '**/.*/**', // dot-folders: run data and scratch (.data, .cache, .turbo, a helper's .ph/ …)
      '**/*.js',
      'samples/corpus/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    // One program for every file (tsconfig.eslint.json), not one per workspace tsconfig: typed
    // linting of the workspaces' ~20 programs, each holding most of the repository, passed 4 GB.
    languageOptions: { parserOptions: { project: ['./tsconfig.eslint.json'], tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
