// Install size: what `npm install -g rusty-cli` puts on disk. Packs this
// repository (as `npm publish` would, with dist/ built) and installs the
// tarball globally into an empty prefix, its dependencies from the registry
// npm is configured with; prints the bytes of every installed file, the
// number of packages, the time it took and any warning npm printed.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { execa } from 'execa'
import { repoRoot, title } from './lib.mjs'

title('npm install -g rusty-cli (packed from this repository)')
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-bench-install-'))
try {
  const { stdout } = await execa('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: repoRoot })
  const [packed] = JSON.parse(stdout)
  const prefix = path.join(dir, 'prefix')
  const started = performance.now()
  const install = await execa('npm', ['install', '-g', '--no-audit', '--no-fund', path.join(dir, packed.filename)], { cwd: dir, env: { npm_config_prefix: prefix }, all: true })
  const ms = performance.now() - started
  const installed = path.join(prefix, 'lib', 'node_modules', 'rusty-cli')
  let bytes = 0
  let packages = 0
  for (const entry of fs.readdirSync(installed, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) bytes += fs.statSync(path.join(entry.parentPath, entry.name)).size
    if (entry.isFile() && entry.name === 'package.json' && entry.parentPath !== installed && path.basename(path.dirname(entry.parentPath)) === 'node_modules') packages++
  }
  console.log(`  tarball                ${String(packed.size).padStart(10)} bytes (${packed.entryCount} files)`)
  console.log(`  installed              ${String(bytes).padStart(10)} bytes (${(bytes / 2 ** 20).toFixed(1)} MiB), ${packages} dependency packages`)
  console.log(`  install time           ${String(Math.round(ms)).padStart(10)} ms (npm cache warm)`)
  const warnings = install.all.split('\n').filter((line) => /npm warn/.test(line))
  console.log(`  npm warnings           ${warnings.length ? `\n    ${warnings.join('\n    ')}` : 'none'}`)
} finally {
  fs.rmSync(dir, { recursive: true, force: true })
}
