// @ts-check
/**
 * ESLint with typescript-eslint's type-aware recommended rules. Import boundaries (which package may
 * import which) are dependency-cruiser's job: see .dependency-cruiser.cjs. Formatting is Prettier's.
 */
import eslint from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'data/**',
      'coverage/**',
      'node_modules/**',
      'apps/web/dist/**',
      'apps/web/vite.config.mts',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A leading underscore marks a value deliberately left out (rest siblings, ignored parameters).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Interfaces declare callbacks in method syntax (`out(line): void`) and callers pass them around unbound.
      '@typescript-eslint/unbound-method': 'off',
      // TypeORM types migration classes as `Function`.
      '@typescript-eslint/no-unsafe-function-type': 'off',
      // Database values typed `unknown` are stringified on purpose (dates and numerics arrive as strings).
      '@typescript-eslint/no-base-to-string': 'off',
      // `unknown | ((events) => unknown)` documents that a function is called, anything else stored as is.
      '@typescript-eslint/no-redundant-type-constituents': 'off',
      // Wrapping errors quote the cause's message; the stack of a connection failure adds nothing.
      'preserve-caught-error': 'off',
      // React's event attributes take async handlers; their errors are caught inside them.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
    },
  },
  {
    // The browser app: the rules of hooks (its own tsconfig, apps/web/tsconfig.json, types it).
    files: ['apps/web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    // Tests read HTTP bodies (`any` in supertest), stub async interfaces without awaiting, and narrow
    // library results (`Error` to `ErrnoException`, parsers' `unknown`) where the rule sees no change.
    files: ['test/**/*.ts', 'bench/**/*.ts', '**/*.spec.ts', '**/testing/**/*.ts', '**/testing.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // Attack tests feed deliberately imprecise numbers and walk values for their side effects.
      'no-loss-of-precision': 'off',
      '@typescript-eslint/no-unused-expressions': 'off',
      'no-useless-assignment': 'off',
      // A helper declared before the callback that needs it is assigned once, after.
      'prefer-const': 'off',
    },
  },
);
