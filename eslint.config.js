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
function fence(patterns, message) {
  return {
    'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
  };
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
        'better-sqlite3',
        'react',
        'react-dom',
      ],
      'shared/ is pure TypeScript: no Node, Electron, DOM, db/, electron/ or renderer/ imports.',
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
          'better-sqlite3',
          'drizzle-orm',
          'drizzle-orm/*',
        ],
        'renderer/ reaches the app only through its api client: no Node, Electron, db/ or electron/ imports.',
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
  {
    files: ['server/**'],
    rules: fence(
      ['electron', '**/electron/**', '**/renderer/**', 'better-sqlite3', 'react', 'react-dom'],
      'server/ is the central store: it may import shared/ and db/ (schema metadata; snapshots are built with the device code in db/snapshot.ts), never electron/ or renderer/.',
    ),
  },
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
