// Runs every benchmark, one after the other, after printing the machine.
// `npm run bench`; each script also runs alone: `node bench/<name>.mjs`.
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { machine } from './lib.mjs'

const scripts = ['install-size', 'cli-start', 'new', 'develop', 'watch', 'calls', 'memory', 'size', 'strip']

console.log(`# rusty benchmarks\n\nmachine: ${await machine()}`)
for (const name of scripts) {
  await execa(process.execPath, [fileURLToPath(new URL(`${name}.mjs`, import.meta.url))], { stdio: 'inherit' })
}
