// Call overhead of the generated binding: ns per call of the template's
// functions through the package (`import('<pkg>')`, which re-exports the
// binding), through the raw binding module, and of plain JS equivalents.
// Release build (PROFILE=dev: the default `rusty develop` build). Each child
// process times all variants interleaved (calls-child.mjs); the table shows
// medians over the child processes, ratios are medians of per-child ratios.
import path from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { backends } from './backends.mjs'
import { median, title, withProject } from './lib.mjs'

const rounds = Number(process.env.ROUNDS ?? 7)
const developArgs = process.env.PROFILE === 'dev' ? [] : ['--release']
const child = fileURLToPath(new URL('calls-child.mjs', import.meta.url))

for (const backend of backends) {
  title(`call overhead (${backend.name}, ${developArgs.length ? 'release' : 'dev'} build; ns/call, median of ${rounds} child processes)`)
  await withProject(backend, developArgs, async (root) => {
    // The package's entry point as `import('<pkg>')` resolves it (its "exports").
    const pkgEntry = createRequire(path.join(root, 'package.json')).resolve(path.basename(root))
    const args = [`package=${pkgEntry}`, `raw binding=${path.join(root, backend.rawBinding)}`, 'plain JS=js']
    const samples = []
    for (let round = 0; round < rounds; round++) {
      // SCALE (env, inherited) multiplies the iteration counts, e.g. 0.1 for a quick look.
      samples.push(JSON.parse((await execa(process.execPath, [child, ...args], { cwd: root, stdin: 'ignore' })).stdout))
    }
    const variants = Object.keys(samples[0])
    const med = (f) => median(samples.map(f))
    console.log(`  ${'op'.padEnd(14)}${variants.map((v) => v.padStart(14)).join('')}   package/raw   raw/JS`)
    for (const op of Object.keys(samples[0].package)) {
      const cells = variants.map((v) => med((s) => s[v][op]).toFixed(1).padStart(14)).join('')
      const pkgRaw = med((s) => s.package[op] / s['raw binding'][op])
      const rawJs = med((s) => s['raw binding'][op] / s['plain JS'][op])
      console.log(`  ${op.padEnd(14)}${cells}   ${pkgRaw.toFixed(2).padStart(10)}x   ${rawJs.toFixed(rawJs < 10 ? 1 : 0).padStart(5)}x`)
    }
    console.log('  target: package/raw <= 1.1x')
  })
}
