// Artifact size: the compiled library `rusty develop` puts in native/, for
// the dev profile (default) and `--release` (the template's release profile:
// LTO, one codegen unit, symbols stripped; for wasm also wasm-opt), and the
// backend's other builds of the same crate to compare with (for wasm: the
// module built the way wasm-pack builds it, without wasm-opt).
import fs from 'node:fs'
import path from 'node:path'
import { backends } from './backends.mjs'
import { rusty, title, withProject } from './lib.mjs'

title('artifact size (bytes)')
for (const backend of backends) {
  await withProject(backend, [], async (root) => {
    const native = path.join(root, 'native')
    const size = () => {
      const file = fs.readdirSync(native, { recursive: true }).find((f) => backend.artifact.test(f))
      return { file, bytes: fs.statSync(path.join(native, file)).size }
    }
    const rows = [['rusty develop', size().bytes]]
    await rusty(root, ['develop', '--release'], backend.env)
    const release = size()
    rows.push(['rusty develop --release', release.bytes])
    for (const baseline of (await backend.sizeBaselines?.(root)) ?? []) rows.push([baseline.name, baseline.bytes])
    const width = Math.max(...rows.map(([name]) => name.length))
    console.log(`  ${backend.name} ${release.file}`)
    for (const [name, bytes] of rows) {
      console.log(`    ${name.padEnd(width)}  ${String(bytes).padStart(10)} bytes (${(bytes / 2 ** 20).toFixed(2)} MiB)`)
    }
  })
}
