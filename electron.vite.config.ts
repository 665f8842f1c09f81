/**
 * Build plan for the three Electron entry points plus the headless ones.
 *
 * main:     index (Electron), server (browser mode), cli, worker (engine thread),
 *           reader (the thread that reads experiment text), report (the thread that draws reports)
 * preload:  index (the LabApi bridge; one sandboxed file)
 * renderer: the Vue app, also served by the browser-mode server.
 */
import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import vue from '@vitejs/plugin-vue'

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          server: resolve(__dirname, 'src/main/server.ts'),
          cli: resolve(__dirname, 'src/main/cli.ts'),
          worker: resolve(__dirname, 'src/main/runner/worker.ts'),
          reader: resolve(__dirname, 'src/main/reading/thread.ts'),
          report: resolve(__dirname, 'src/main/reports/thread.ts')
        }
      }
    }
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') }
      }
    }
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/renderer/index.html') }
      }
    },
    plugins: [vue()]
  }
})
