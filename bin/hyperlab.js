#!/usr/bin/env node
// The `hyperlab` command: runs the built CLI (npm install builds it).
const { existsSync } = require('node:fs')
const { join } = require('node:path')
const cli = join(__dirname, '..', 'out', 'main', 'cli.js')
if (!existsSync(cli)) {
  process.stderr.write('hyperlab: the app is not built yet; run `npm install` (or `npm run build`) in ' + join(__dirname, '..') + '\n')
  process.exit(2)
}
require(cli)
