import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// The engine is a pure, deterministic simulation: no React, no DOM, no wall clock, no timers, no
// unseeded randomness. These rules keep it that way (see shared/STYLE.md).
const engineBans = {
  'no-restricted-imports': ['error', {
    patterns: [
      { group: ['react', 'react-dom', 'react/*', 'zustand', 'zustand/*', 'framer-motion', 'msw', 'msw/*'], message: 'src/engine is framework-free: no React, zustand, framer-motion or msw.' },
      { group: ['../state/*', '../ui/*', '../api/*', '../lessons/*'], message: 'The engine must not depend on the layers above it.' },
    ],
  }],
  'no-restricted-globals': ['error',
    ...['window', 'document', 'navigator', 'localStorage', 'performance', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'requestAnimationFrame', 'cancelAnimationFrame', 'queueMicrotask', 'fetch']
      .map((name) => ({ name, message: `The engine has its own simulated clock and no DOM: ${name} is not allowed in src/engine.` })),
  ],
  'no-restricted-properties': ['error',
    { object: 'Math', property: 'random', message: 'Use the seeded PRNG (engine/random.ts).' },
    { object: 'Date', property: 'now', message: 'Use the simulated clock.' },
    { object: 'performance', property: 'now', message: 'Use the simulated clock.' },
  ],
  'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='Date']", message: 'Use the simulated clock.' }],
};

export default tseslint.config(
  { ignores: ['dist', '.bench', 'node_modules', 'public/mockServiceWorker.js', 'test-results', 'playwright-report', 'shots'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      eqeqeq: ['error', 'always'],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error',
        { object: 'it', property: 'only', message: 'No focused tests.' },
        { object: 'describe', property: 'only', message: 'No focused tests.' },
        { object: 'test', property: 'only', message: 'No focused tests.' },
        { object: 'it', property: 'skip', message: 'No skipped tests.' },
        { object: 'describe', property: 'skip', message: 'No skipped tests.' },
        { object: 'test', property: 'skip', message: 'No skipped tests.' },
      ],
    },
  },
  { files: ['src/engine/**/*.ts'], rules: engineBans },
);
