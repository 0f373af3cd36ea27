// Release artifact size before and after stripping (issue 23): the napi and
// koffi templates' crates built by plain `cargo build --release` without
// stripping (their own profile with `strip` off, then also with `debug =
// true`, as a crate may keep it), against `rusty build`, which strips
// whatever the profile says (koffi: CARGO_PROFILE_RELEASE_STRIP=symbols;
// napi: napi-rs's `strip`, `-C link-arg=-s`). The profile is edited in the
// crate's Cargo.toml, as a user would.
import fs from 'node:fs'
import path from 'node:path'
import { execa } from 'execa'
import detectLibc from 'detect-libc'
import { backends } from './backends.mjs'
import { benchEnv, rusty, targetDir, title, withProject } from './lib.mjs'

/** Sets the `[profile.release]` lines of the template's Cargo.toml that follow `strip` (the last ones it has). */
function setProfile(root, lines) {
  const manifest = path.join(root, 'rust', 'Cargo.toml')
  const text = fs.readFileSync(manifest, 'utf8')
  const at = text.search(/^strip = .*$/m)
  if (at < 0) throw new Error(`no strip line in ${manifest}`)
  fs.writeFileSync(manifest, `${text.slice(0, at)}${lines.join('\n')}\n`)
}

/** The crate's cdylib from `cargo build --release`, and its size in bytes. */
async function cargoRelease(root) {
  const { stdout } = await execa('cargo', ['build', '--release', '--manifest-path', 'rust/Cargo.toml', '--message-format=json-render-diagnostics'], {
    cwd: root,
    stdin: 'ignore',
    env: benchEnv(),
  })
  const library = stdout
    .split('\n')
    .flatMap((line) => (line.startsWith('{') ? [JSON.parse(line)] : []))
    .filter((m) => m.reason === 'compiler-artifact' && m.target?.crate_types?.includes('cdylib'))
    .at(-1)
    .filenames.find((f) => /\.(so|dylib|dll)$/.test(f))
  return fs.statSync(library).size
}

/** The artifact `rusty build` reports, and its size in bytes. */
async function rustyBuild(root) {
  const result = await rusty(root, ['build'])
  const artifact = /Built (\S+) \(/.exec(result.all)[1]
  return fs.statSync(path.join(root, artifact)).size
}

title(`release artifact size before/after stripping (bytes; cargo target dir ${targetDir})`)
for (const backend of backends.filter((b) => b.name === 'napi' || b.name === 'koffi')) {
  await withProject(backend, null, async (root) => {
    // This benchmark is about stripping: the glibc floor is this machine's,
    // so `rusty build` accepts a library linked here.
    const pkgFile = path.join(root, 'package.json')
    const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'))
    pkg.rusty.glibc = detectLibc.versionSync().split('.').slice(0, 2).join('.')
    fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2))
    const rows = []
    setProfile(root, ['strip = "none"'])
    rows.push(['cargo build --release, strip = "none"', await cargoRelease(root)])
    rows.push(['rusty build, strip = "none"', await rustyBuild(root)])
    setProfile(root, ['strip = "none"', 'debug = true'])
    rows.push(['cargo build --release, strip = "none", debug = true', await cargoRelease(root)])
    rows.push(['rusty build, strip = "none", debug = true', await rustyBuild(root)])
    const width = Math.max(...rows.map(([name]) => name.length))
    console.log(`  ${backend.name}`)
    for (const [name, bytes] of rows) console.log(`    ${name.padEnd(width)}  ${String(bytes).padStart(11)} bytes (${(bytes / 2 ** 20).toFixed(2)} MiB)`)
  })
}
