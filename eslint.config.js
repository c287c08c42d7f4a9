import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import prettier from 'eslint-config-prettier';

// The engine is a pure, deterministic simulation: no React, no DOM, no wall clock, no timers, no
// unseeded randomness. These rules keep it that way (see shared/STYLE.md).
const engineBans = {
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        {
          group: ['react', 'react-dom', 'react/*', 'zustand', 'zustand/*', 'framer-motion', 'msw', 'msw/*'],
          message: 'src/engine is framework-free: no React, zustand, framer-motion or msw.',
        },
        {
          group: ['../state/*', '../ui/*', '../api/*', '../lessons/*'],
          message: 'The engine must not depend on the layers above it.',
        },
      ],
    },
  ],
  'no-restricted-globals': [
    'error',
    ...[
      'window',
      'document',
      'navigator',
      'localStorage',
      'performance',
      'setTimeout',
      'setInterval',
      'clearTimeout',
      'clearInterval',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'queueMicrotask',
      'fetch',
    ].map((name) => ({
      name,
      message: `The engine has its own simulated clock and no DOM: ${name} is not allowed in src/engine.`,
    })),
  ],
  'no-restricted-properties': [
    'error',
    { object: 'Math', property: 'random', message: 'Use the seeded PRNG (engine/random.ts).' },
    { object: 'Date', property: 'now', message: 'Use the simulated clock.' },
    { object: 'performance', property: 'now', message: 'Use the simulated clock.' },
  ],
  'no-restricted-syntax': [
    'error',
    { selector: "NewExpression[callee.name='Date']", message: 'Use the simulated clock.' },
  ],
};

// One direction of flow: engine → state → lessons → ui, with api beside state (it adapts the
// engine to HTTP). Each layer may import only the layers below it, and the engine only through its
// door (src/engine/index.ts).
const engineDoor = { group: ['**/engine/*'], message: 'Import the engine through its door, src/engine/index.ts.' };
const layer = (message, ...groups) => ({
  'no-restricted-imports': ['error', { patterns: [engineDoor, { group: groups, message }] }],
});

export default tseslint.config(
  {
    ignores: [
      'dist',
      '.bench',
      'node_modules',
      'public/mockServiceWorker.js',
      'test-results',
      'playwright-report',
      'shots',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      eqeqeq: ['error', 'always'],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'it', property: 'only', message: 'No focused tests.' },
        { object: 'describe', property: 'only', message: 'No focused tests.' },
        { object: 'test', property: 'only', message: 'No focused tests.' },
        { object: 'it', property: 'skip', message: 'No skipped tests.' },
        { object: 'describe', property: 'skip', message: 'No skipped tests.' },
        { object: 'test', property: 'skip', message: 'No skipped tests.' },
      ],
    },
  },
  { files: ['src/**/*.{ts,tsx}'], ...reactHooks.configs.flat['recommended-latest'] },
  // Type-aware rules where they catch real bugs: promises nobody awaits or handles, awaiting what is not
  // a promise, switches that forget a case of a union, assertions that assert nothing.
  {
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/no-unnecessary-condition': 'off',
    },
  },
  { files: ['src/engine/**/*.ts'], rules: engineBans },
  {
    files: ['src/state/**/*.{ts,tsx}'],
    rules: layer(
      'src/state sits below lessons, api and ui: it must not import them.',
      '**/ui/*',
      '**/api/*',
      '**/lessons/*',
    ),
  },
  {
    files: ['src/api/**/*.ts'],
    rules: layer(
      "src/api adapts the engine to HTTP: it knows nothing of the page's state, lessons or UI.",
      '**/ui/*',
      '**/state/*',
      '**/lessons/*',
    ),
  },
  {
    files: ['src/lessons/**/*.ts'],
    rules: layer(
      'src/lessons is data and its runner: it must not import the UI or the HTTP adapter.',
      '**/ui/*',
      '**/api/*',
    ),
  },
  {
    files: ['src/ui/**/*.{ts,tsx}', 'src/main.tsx', 'scripts/**/*.ts', 'bench/**/*.ts', 'test/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [engineDoor] }] },
  },
  // Formatting is prettier's job (npm run format); this turns off any lint rule that would argue with it.
  prettier,
);
