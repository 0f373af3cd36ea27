// Call overhead of the generated binding: ns per call of the template's
// functions through the package (`import('<pkg>')`, which re-exports the
// binding), through the raw binding module, and of plain JS equivalents.
// Release build (PROFILE=dev: the default `rusty develop` build). Each sample
// is a fresh child process; variants interleave round by round.
import path from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { backends } from './backends.mjs'
import { interleave, median, title, withProject } from './lib.mjs'

const rounds = Number(process.env.ROUNDS ?? 7)
// SCALE multiplies every iteration count (e.g. 0.1 for a quick look).
const scale = process.env.SCALE ?? '1'
const developArgs = process.env.PROFILE === 'dev' ? [] : ['--release']
const child = fileURLToPath(new URL('calls-child.mjs', import.meta.url))

for (const backend of backends) {
  title(`call overhead (${backend.name}, ${developArgs.length ? 'release' : 'dev'} build; ns/call, median of ${rounds} interleaved child processes)`)
  await withProject(backend, developArgs, async (root) => {
    // The package's own entry point as `import('<pkg>')` resolves it (its exports).
    const name = path.basename(root)
    const pkgEntry = createRequire(path.join(root, 'package.json')).resolve(name)
    const variants = [
      { name: 'package', module: pkgEntry },
      { name: 'raw binding', module: path.join(root, backend.rawBinding) },
      { name: 'plain JS', module: 'js' },
    ].map((v) => ({
      name: v.name,
      run: async () => JSON.parse((await execa(process.execPath, [child, v.module, scale], { cwd: root, stdin: 'ignore' })).stdout),
    }))
    const samples = await interleave(variants, rounds)
    const ops = Object.keys(samples['package'][0])
    const med = (variant, op) => median(samples[variant].map((s) => s[op]))
    console.log(`  ${'op'.padEnd(14)}${variants.map((v) => v.name.padStart(14)).join('')}   package/raw   raw/JS`)
    for (const op of ops) {
      const cells = variants.map((v) => med(v.name, op).toFixed(1).padStart(14)).join('')
      const pkgRaw = med('package', op) / med('raw binding', op)
      const rawJs = med('raw binding', op) / med('plain JS', op)
      console.log(`  ${op.padEnd(14)}${cells}   ${pkgRaw.toFixed(2).padStart(10)}x   ${rawJs.toFixed(1).padStart(5)}x`)
    }
    console.log('  target: package/raw <= 1.1x')
  })
}
