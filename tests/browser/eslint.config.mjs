// ESLint for every script of the project: the themes' browser scripts, the live-reload
// script `cairn serve` injects, and the Node scripts of the browser and host tests and the
// benchmarks.
// `npm run lint` runs it from the repository's root (ESLint lints nothing outside the folder
// it runs in), so the paths below are relative to that root.
import js from '@eslint/js';
import globals from 'globals';

// Rules beyond the recommended set that catch real bugs (or keep the style the scripts share).
const rules = {
  'no-unused-vars': ['error', { args: 'after-used', caughtErrors: 'none' }],
  'no-undef': 'error',
  'prefer-const': 'error',
  'no-var': 'error',
  eqeqeq: ['error', 'always'],
};

export default [
  { ignores: ['**/node_modules/', 'target/', 'bench/sites/'] },
  js.configs.recommended,
  {
    // Classic scripts the browser runs: ES2018, no modules, browser globals only.
    files: ['themes/*/static/js/**/*.js', 'src/serve/livereload.js'],
    languageOptions: { ecmaVersion: 2018, sourceType: 'script', globals: globals.browser },
    rules,
  },
  {
    // Node scripts (ES modules) that drive the browser; code they pass to page.evaluate
    // runs in the page, so browser globals are known there too.
    files: ['tests/browser/**/*.mjs', 'tests/hosts/**/*.mjs', 'bench/**/*.mjs'],
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module', globals: { ...globals.node, ...globals.browser } },
    rules,
  },
];
