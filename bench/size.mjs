// Artifact size: the compiled library `rusty develop` puts in native/, for
// the dev profile (default) and `--release` (the template's release profile:
// LTO, one codegen unit, symbols stripped).
import fs from 'node:fs'
import path from 'node:path'
import { backends } from './backends.mjs'
import { rusty, title, withProject } from './lib.mjs'

title('artifact size (bytes)')
for (const backend of backends) {
  await withProject(backend, [], async (root) => {
    const native = path.join(root, 'native')
    const size = () => {
      const file = fs.readdirSync(native).find((f) => backend.artifact.test(f))
      return { file, bytes: fs.statSync(path.join(native, file)).size }
    }
    const dev = size()
    await rusty(root, ['develop', '--release'])
    const release = size()
    const mib = (bytes) => (bytes / 2 ** 20).toFixed(2)
    console.log(`  ${backend.name} ${release.file}`)
    console.log(`    rusty develop            ${String(dev.bytes).padStart(10)} bytes (${mib(dev.bytes)} MiB)`)
    console.log(`    rusty develop --release  ${String(release.bytes).padStart(10)} bytes (${mib(release.bytes)} MiB)`)
  })
}
