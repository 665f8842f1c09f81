// Lint rules, including the layering of docs/architecture.md: imports point downward, along the edges
// listed in LAYERS below (eslint-plugin-boundaries checks every relative import against them), and the
// pure layers (shared, engine) import nothing from Node, Electron or the DOM (no-restricted-imports).
import tseslint from 'typescript-eslint'
import boundaries from 'eslint-plugin-boundaries'
import vue from 'eslint-plugin-vue'
import vueParser from 'vue-eslint-parser'

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'http', 'net', 'url', 'perf_hooks']

const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }]
})

/**
 * The layers of src/ and which layers each may import (docs/architecture.md, "Layers"). An edge not listed
 * here is an error; a new edge is a design decision, made in architecture.md first and then here.
 */
const LAYERS = {
  shared: { pattern: 'src/shared', may: [] },
  engine: { pattern: 'src/main/engine', may: ['shared'] },
  validation: { pattern: 'src/main/validation', may: ['engine', 'shared'] },
  store: { pattern: 'src/main/store', may: ['shared'] },
  threads: { pattern: 'src/main/threads', may: ['shared'] },
  reading: { pattern: 'src/main/reading', may: ['threads', 'shared'] },
  runner: { pattern: 'src/main/runner', may: ['engine', 'validation', 'store', 'shared'] },
  reports: { pattern: 'src/main/reports', may: ['threads', 'reading', 'store', 'shared'] },
  services: { pattern: 'src/main/services', may: ['runner', 'engine', 'reports', 'store', 'reading', 'shared'] },
  browser: { pattern: 'src/main/browser', may: ['app', 'services', 'shared'] },
  desktop: { pattern: 'src/main/desktop', may: ['browser', 'services', 'reports', 'shared'] },
  'cli-format': { pattern: 'src/main/cli', may: ['reports', 'shared'] },
  // Sweeps are built on runs: many runs of one experiment, here or through Redis; their CLI commands print with cli-format.
  sweeps: { pattern: 'src/main/sweeps', may: ['services', 'runner', 'engine', 'reading', 'store', 'cli-format', 'shared'] },
  // The files at the top of src/main: the composition root (lab.ts, paths.ts) and the entry points (index.ts,
  // server.ts, cli.ts, which nothing may import: the no-restricted-imports rule below). Listed after the
  // folders above, it takes what none of them matched.
  app: { pattern: 'src/main', may: ['desktop', 'browser', 'cli-format', 'sweeps', 'services', 'reports', 'runner', 'store', 'reading', 'shared'] },
  preload: { pattern: 'src/preload', may: ['shared'] },
  renderer: { pattern: 'src/renderer', may: ['shared'] }
}

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'dist/**', 'test-results/**', 'playwright-report/**', '.cache/**'] },
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parser: vueParser, parserOptions: { parser: tseslint.parser, sourceType: 'module' } }
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off'
    }
  },
  {
    // The `hyperlab` launcher is plain CommonJS run by Node before anything is built.
    files: ['bin/**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' }
  },
  {
    files: ['src/**/*.{ts,vue}'],
    plugins: { boundaries },
    settings: {
      'import/resolver': { node: { extensions: ['.ts', '.vue', '.js', '.mjs'] } },
      'boundaries/elements': Object.entries(LAYERS).map(([type, l]) => ({ type, pattern: l.pattern, partialMatch: false })),
      'boundaries/include': ['src/**/*']
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          policies: Object.entries(LAYERS).map(([type, l]) => ({
            from: { element: { type } },
            allow: { to: { element: { types: { anyOf: [type, ...l.may] } } } }
          }))
        }
      ]
    }
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: restrict(
      [...nodeBuiltins, 'electron', 'vue', 'pinia', '**/main/**', '**/preload/**', '**/renderer/**'],
      'src/shared is the contract: pure TypeScript, importing only itself and schema/format libraries.'
    )
  },
  {
    files: ['src/main/engine/**/*.ts'],
    rules: restrict(
      [...nodeBuiltins, 'electron', 'better-sqlite3', 'ws', 'commander', '**/runner/**', '**/store/**', '**/services/**', '**/browser/**', '**/cli/**', '**/validation/**', '**/lab', '**/paths', '**/preload/**', '**/renderer/**'],
      'The engine is pure and deterministic: it imports only src/shared and itself.'
    )
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/engine/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/preload/**', '**/renderer/**'],
              message: 'main imports shared, engine and its own lower layers; never the renderer, the preload or an entry point.'
            },
            // The entry files themselves (../cli is cli.ts; the cli/ folder beside it holds formatting the sweep commands share).
            { regex: '^\\.\\./(index|server|cli)$', message: 'Nothing imports an entry point (index.ts, server.ts, cli.ts).' }
          ]
        }
      ]
    }
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: restrict(['**/main/**', '**/renderer/**', 'zod'], 'The preload bundles alone in a sandbox: it imports only src/shared/channels.')
  },
  {
    files: ['src/renderer/**/*.{ts,vue}'],
    rules: restrict([...nodeBuiltins, 'electron', '**/main/**', '**/preload/index*'], 'The renderer talks only to LabApi (src/shared).')
  }
)
