// ESLint (flat config) for the Node side of the repository: backend/, emulator/, bench/ and scripts/.
// The frontend follows Angular's conventions and gets Prettier + tsc only (see `npm run lint`).
// @ts-check
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig([
  globalIgnores(['**/dist/', '**/node_modules/', '**/.angular/', '**/coverage/', '**/out-tsc/', 'bench-results/', '.data/', 'frontend/']),
  {
    // A disable comment that no longer disables anything is an error, so they cannot pile up.
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    files: ['**/*.{ts,mts,cts,js,mjs,cjs}'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: {
      ecmaVersion: 2023,
      globals: globals.node,
    },
    rules: {
      // `_`-prefixed parameters, variables and caught errors are deliberately unused.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    // Tests assert on response bodies of whatever shape they expect: `any` is fine there. Shared,
    // shipped helpers (emulator/src/testing) still say why, with a disable comment.
    files: ['**/*.test.ts', 'backend/test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // CommonJS JavaScript (the emulator's bin script): `require` is the module system here.
    files: ['**/*.{js,cjs}'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
]);
