// Memory: RSS before and after 1,000,000 `greet` round trips through the
// package (release build), then after a second million, each also after a
// full GC: a leak per call would show as growth that GC does not give back.
// Plain JS alongside for scale; variants interleave, median of the rounds.
import path from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { backends } from './backends.mjs'
import { interleave, median, title, withProject } from './lib.mjs'

const rounds = Number(process.env.ROUNDS ?? 5)
const child = fileURLToPath(new URL('memory-child.mjs', import.meta.url))

for (const backend of backends) {
  title(`memory: RSS around greet() round trips (${backend.name}, release build; MiB, median of ${rounds} rounds)`)
  await withProject(backend, ['--release'], async (root) => {
    const pkgEntry = createRequire(path.join(root, 'package.json')).resolve(path.basename(root))
    const variants = [
      { name: `package (${backend.name})`, module: pkgEntry },
      { name: 'plain JS', module: 'js' },
    ].map((v) => ({
      name: v.name,
      run: async () => JSON.parse((await execa(process.execPath, ['--expose-gc', child, v.module], { cwd: root, stdin: 'ignore' })).stdout),
    }))
    const samples = await interleave(variants, rounds)
    const f = (values) => median(values).toFixed(1).padStart(10)
    console.log(`  ${''.padEnd(16)}${['before', 'after 1M', '+ GC', 'after 2M', '+ GC'].map((h) => h.padStart(10)).join('')}`)
    for (const [name, runs] of Object.entries(samples)) {
      const cols = [f(runs.map((r) => r.before))]
      for (let b = 0; b < runs[0].batches.length; b++) {
        cols.push(f(runs.map((r) => r.batches[b].after)), f(runs.map((r) => r.batches[b].afterGc)))
      }
      console.log(`  ${name.padEnd(16)}${cols.join('')}`)
    }
  })
}
