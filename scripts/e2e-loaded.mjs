#!/usr/bin/env node
/**
 * The end-to-end suite under load: one core kept busy by another process
 * (`node -e "for(;;){}"`) while the whole suite runs several times in a row
 * (default 3). A test that waits for time instead of for a state fails here
 * first. Build first (`npm run build`, or `npm test` once).
 *
 *   npm run test:e2e:loaded            # three rounds
 *   npm run test:e2e:loaded -- 5       # five rounds
 */
import { spawn, spawnSync } from 'node:child_process'

const rounds = Number(process.argv[2] ?? 3)
if (!Number.isInteger(rounds) || rounds < 1) {
  process.stderr.write('rounds: give a whole number of at least 1\n')
  process.exit(2)
}
const busy = spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' })
const stop = () => busy.kill('SIGKILL')
process.on('exit', stop)
process.on('SIGINT', () => process.exit(130))

let failed = 0
for (let round = 1; round <= rounds; round++) {
  process.stdout.write(`\n— round ${round} of ${rounds}, one core busy —\n`)
  const result = spawnSync('npx', ['playwright', 'test'], { stdio: 'inherit', shell: process.platform === 'win32' })
  if (result.status !== 0) {
    failed++
    process.stdout.write(`round ${round} failed\n`)
  }
}
process.stdout.write(`\n${rounds - failed} of ${rounds} rounds passed with one core busy\n`)
process.exit(failed === 0 ? 0 : 1)
