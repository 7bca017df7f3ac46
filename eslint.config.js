import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [
  'node:*',
  'fs',
  'path',
  'os',
  'crypto',
  'child_process',
  'http',
  'url',
  'module',
  'net',
  'stream',
];

/** The house fences of DESIGN.md, as lint rules rather than memory. */
function fence(patterns, message, ...more) {
  return {
    'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }, ...more] }],
  };
}

const SERVER_FENCE = [
  ['electron', '**/electron/**', '**/renderer/**', 'better-sqlite3', 'react', 'react-dom'],
  'server/ is the central store: it may import shared/ and db/store-shared.ts, never electron/ or renderer/.',
];

/**
 * server/ reaches the device's db/ only through db/store-shared.ts (schema metadata, and the
 * snapshot builder that uses the device's own apply code). Relative paths are ambiguous (from
 * server/sync/, `../db` is the store's own server/db), so the rule is written for each depth.
 */
function serverFences(maxDepth) {
  const configs = [];
  for (let depth = 1; depth <= maxDepth; depth++) {
    const up = '../'.repeat(depth);
    configs.push({
      files: [`server/${'*/'.repeat(depth - 1)}*.{ts,tsx,js,mjs}`],
      rules: fence(...SERVER_FENCE, {
        group: [`${up}db/**`, `!${up}db/store-shared`],
        message:
          'server/ takes from db/ only what db/store-shared.ts exports: add the name there, in the open (DESIGN.md).',
      }),
    });
  }
  return configs;
}

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'test-artifacts/**',
      'db/migrations/**',
      'server/db/migrations/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/ban-ts-comment': [
        'error',
        { 'ts-expect-error': 'allow-with-description' },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['shared/**'],
    rules: fence(
      [
        ...NODE_BUILTINS,
        'electron',
        '**/db/**',
        '**/electron/**',
        '**/renderer/**',
        '**/server/**',
        'better-sqlite3',
        'react',
        'react-dom',
      ],
      'shared/ is pure TypeScript: no Node, Electron, DOM, db/, electron/, renderer/ or server/ imports.',
    ),
  },
  {
    files: ['shared/**'],
    languageOptions: { globals: {} },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...fence(
        [
          ...NODE_BUILTINS,
          'electron',
          '**/db/**',
          '**/electron/**',
          '**/server/**',
          'better-sqlite3',
          'drizzle-orm',
          'drizzle-orm/*',
        ],
        'renderer/ reaches the app only through its api client: no Node, Electron, db/, electron/ or server/ imports.',
      ),
    },
  },
  {
    files: ['db/**'],
    rules: fence(
      ['electron', '**/electron/**', '**/renderer/**', '**/server/**'],
      'db/ never imports electron/, renderer/ or server/.',
    ),
  },
  ...serverFences(4),
  {
    files: ['electron/**'],
    ignores: ['electron/main.ts', 'electron/preload.ts'],
    rules: fence(['electron'], 'Only electron/main.ts and electron/preload.ts import electron.'),
  },
  {
    files: ['test/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
