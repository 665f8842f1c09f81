// Lint rules, including the layering of architecture.md: imports point downward.
//   shared: []   main/engine: [shared]   main/*: [shared, engine]   preload: [shared]   renderer: [shared]
// and nothing imports the entry points (src/main/index.ts, server.ts, cli.ts).
import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'
import vueParser from 'vue-eslint-parser'

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'http', 'net', 'url', 'perf_hooks']
const entryPoints = ['**/main/index', '**/main/server', '**/main/cli', '**/main/index.ts', '**/main/server.ts', '**/main/cli.ts']

const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }]
})

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
    files: ['src/shared/**/*.ts'],
    rules: restrict(
      [...nodeBuiltins, 'electron', 'vue', 'pinia', '**/main/**', '**/preload/**', '**/renderer/**'],
      'src/shared is the contract: pure TypeScript, importing only itself and schema/format libraries.'
    )
  },
  {
    files: ['src/main/engine/**/*.ts'],
    rules: restrict(
      [...nodeBuiltins, 'electron', 'better-sqlite3', 'ws', 'commander', '../runner/**', '../store/**', '../services/**', '../browser/**', '../cli/**', '../lab', '../paths', '**/preload/**', '**/renderer/**'],
      'The engine is pure and deterministic: it imports only src/shared and itself.'
    )
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/engine/**'],
    rules: restrict(
      ['**/preload/**', '**/renderer/**', ...entryPoints.filter((p) => !p.endsWith('.ts')).map((p) => p.replace('**/main/', '../'))],
      'main imports shared, engine and its own lower layers; never the renderer, the preload or an entry point.'
    )
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
