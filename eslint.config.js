// One lint config for the whole repository (Prettier owns formatting; this
// owns correctness and the web app's boundaries, see ARCHITECTURE.md).
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

export default ts.config(
  {
    ignores: [
      '**/node_modules/',
      '**/dist/',
      '**/build/',
      '**/.svelte-kit/',
      '**/.turbo/',
      '.tools/',
      'coverage/',
    ],
  },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      // The app is served at the origin's root (no `paths.base`), so resolve()
      // would wrap every href in a call that returns it unchanged.
      'svelte/no-navigation-without-resolve': 'off',
      // `_`-prefixed parameters are placeholders a signature needs
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    files: ['apps/web/static/**/*.js'],
    languageOptions: { globals: { ...globals.serviceworker } },
  },
  // The web app's shape (issue 11): routes hold markup and wiring and read
  // through a store; plays reach the database through lib/db's one writer.
  {
    files: ['apps/web/src/routes/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['$lib/db/*', '**/lib/db/*'],
              message: 'A route reads through a store in lib/<feature>/, never lib/db directly.',
            },
            {
              group: [
                '@mtm/spotify-client',
                '$lib/spotify/token-provider',
                '$lib/spotify/config',
                '$lib/sync/sync-engine',
                '$lib/sync/features',
              ],
              message: 'A route never calls Spotify itself: a store (or the sync runner) does.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/web/src/lib/sync/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../import/*', '$lib/import/*'],
              message: 'The sync writes plays through lib/db (play-writer.ts), not the import.',
            },
          ],
        },
      ],
    },
  },
);
