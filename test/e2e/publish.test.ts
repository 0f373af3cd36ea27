// `rusty publish` against a real registry (verdaccio on 127.0.0.1), for each
// backend: publish, install in a fresh folder with plain `npm install`, call
// Rust. Then the refusals: a version already there, a broken artifact, an
// unreachable registry, no login; and --skip-existing, --dry-run, rusty version.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { execa } from 'execa'
import { installProject, rusty, runNode, tempDir } from '../helpers.js'
import { startRegistry, type TestRegistry } from '../registry.js'

const scope = '@rusty-e2e'
let registry: TestRegistry

// The Debian-built wasm32 standard library of ../shared's toolchain has no
// LLVM bitcode, so LTO cannot link against it (see wasm.test.ts).
const wasmEnv = process.env.RUSTY_WASM_TOOLCHAIN
  ? { RUSTUP_TOOLCHAIN: process.env.RUSTY_WASM_TOOLCHAIN, CARGO_PROFILE_RELEASE_LTO: 'false' }
  : {}

const backends = [
  { backend: 'napi', env: {}, call: `m.add(2, 3)`, expected: 5 },
  { backend: 'koffi', env: {}, call: `m.add(2, 3)`, expected: 5 },
  { backend: 'wasm', env: wasmEnv, call: `m.add(2, 3)`, expected: 5 },
] as const

before(async () => {
  registry = await startRegistry()
})

after(async () => {
  await registry.stop()
})

/** Creates a project of `backend` named `@rusty-e2e/<backend>-pub`, set up to publish to the test registry. */
async function createProject(backend: string): Promise<{ name: string; dir: string }> {
  const cwd = tempDir()
  const name = `${scope}/${backend}-pub`
  const created = await rusty(['new', `${backend}-pub`, '--name', name, '--backend', backend, '--yes', '--no-git', '--no-install'], { cwd })
  assert.equal(created.exitCode, 0, created.all)
  const dir = path.join(cwd, `${backend}-pub`)
  await installProject(dir)
  fs.writeFileSync(path.join(dir, '.npmrc'), registry.npmrc(scope))
  return { name, dir }
}

/** Installs `spec` from the test registry in a fresh folder and evaluates `call` on the imported package `m`. */
async function installAndCall(name: string, spec: string, call: string): Promise<unknown> {
  const app = tempDir('rusty-app-')
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }))
  fs.writeFileSync(path.join(app, '.npmrc'), registry.npmrc(scope, false))
  await execa('npm', ['install', '--no-audit', '--no-fund', spec], { cwd: app, stdin: 'ignore' })
  return runNode(app, `const m = await import(${JSON.stringify(name)}); console.log(JSON.stringify(${call}))`)
}

async function onRegistry(spec: string): Promise<boolean> {
  const result = await execa('npm', ['view', spec, 'version', '--registry', registry.url], { reject: false })
  return result.exitCode === 0 && result.stdout.trim() !== ''
}

for (const { backend, env, call, expected } of backends) {
  test(`${backend}: publish, then npm install from the registry and call Rust`, async () => {
    const { name, dir } = await createProject(backend)
    const result = await rusty(['publish', '--registry', registry.url], { cwd: dir, env })
    assert.equal(result.exitCode, 0, result.all)
    assert.match(result.stderr, new RegExp(`published +${name.replace('/', '\\/')}@0\\.1\\.0`))
    if (backend !== 'wasm') {
      const platform = new RegExp(`published +${name.replace('/', '\\/')}-(\\S+)@0\\.1\\.0`).exec(result.stderr)?.[1]
      assert.ok(platform, `a platform package was published:\n${result.stderr}`)
      const view = await execa('npm', ['view', `${name}-${platform}@0.1.0`, 'os', 'cpu', '--json', '--registry', registry.url])
      assert.equal(JSON.parse(view.stdout).os[0], process.platform)
      assert.equal(JSON.parse(view.stdout).cpu[0], process.arch)
      const main = await execa('npm', ['view', `${name}@0.1.0`, 'optionalDependencies', '--json', '--registry', registry.url])
      assert.deepEqual(JSON.parse(main.stdout), { [`${name}-${platform}`]: '0.1.0' })
    }
    assert.equal(await installAndCall(name, `${name}@0.1.0`, call), expected)

    // The same version again: refused before anything is uploaded...
    const again = await rusty(['publish', '--registry', registry.url, '--no-build'], { cwd: dir, env })
    assert.equal(again.exitCode, 1, again.all)
    assert.match(again.stderr, /^error: Already on the registry: .*Nothing was published\.$/m)
    // ...and reported as skipped with --skip-existing.
    const skipped = await rusty(['publish', '--registry', registry.url, '--no-build', '--skip-existing'], { cwd: dir, env })
    assert.equal(skipped.exitCode, 0, skipped.all)
    assert.match(skipped.stderr, new RegExp(`skipped +${name.replace('/', '\\/')}@0\\.1\\.0 \\(already on the registry\\)`))

    if (backend === 'napi') await napiRefusals(name, dir)
    if (backend === 'koffi') {
      // The project's own dependencies are not installed: one error naming
      // what is missing, and the fix.
      fs.renameSync(path.join(dir, 'node_modules'), path.join(dir, 'node_modules.away'))
      const uninstalled = await rusty(['publish', '--registry', registry.url, '--no-build', '--skip-existing'], { cwd: dir, env })
      fs.renameSync(path.join(dir, 'node_modules.away'), path.join(dir, 'node_modules'))
      assert.equal(uninstalled.exitCode, 1, uninstalled.all)
      assert.match(uninstalled.stderr, /^error: typescript is not installed in .*; this project builds with it\.\nhint: run npm i$/m)
    }
  })
}

/** The failure cases, on the napi project (one build serves them all). */
async function napiRefusals(name: string, dir: string): Promise<void> {
  // rusty version sets one version everywhere.
  const bumped = await rusty(['version', 'patch'], { cwd: dir })
  assert.equal(bumped.exitCode, 0, bumped.all)
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version, '0.1.1')
  assert.match(fs.readFileSync(path.join(dir, 'rust', 'Cargo.toml'), 'utf8'), /^version = "0\.1\.1"$/m)
  assert.match(fs.readFileSync(path.join(dir, 'rust', 'Cargo.lock'), 'utf8'), /name = "napi-pub"\nversion = "0\.1\.1"/)
  const invalid = await rusty(['version', 'one.two'], { cwd: dir })
  assert.equal(invalid.exitCode, 2, invalid.all)
  assert.match(invalid.stderr, /^error: Invalid version "one\.two"/m)

  // --dry-run checks everything and uploads nothing.
  const dry = await rusty(['publish', '--registry', registry.url, '--dry-run'], { cwd: dir })
  assert.equal(dry.exitCode, 0, dry.all)
  assert.match(dry.stderr, new RegExp(`dry-run +${name.replace('/', '\\/')}@0\\.1\\.1`))
  assert.equal(await onRegistry(`${name}@0.1.1`), false)

  // An unreachable registry: a clear error before any upload.
  const unreachable = await rusty(['publish', '--registry', 'http://127.0.0.1:9/', '--no-build'], { cwd: dir })
  assert.equal(unreachable.exitCode, 1, unreachable.all)
  assert.match(unreachable.stderr, /^error: Cannot ask the registry http:\/\/127\.0\.0\.1:9\/ about .*unreachable/m)

  // Not logged in: the per-package report says so, and nothing is half-published.
  fs.writeFileSync(path.join(dir, '.npmrc'), registry.npmrc(scope, false))
  const anonymous = await rusty(['publish', '--registry', registry.url, '--no-build'], { cwd: dir })
  assert.equal(anonymous.exitCode, 1, anonymous.all)
  assert.match(anonymous.stderr, /failed +.*not logged in to/)
  assert.match(anonymous.stderr, /^error: 2 of 2 packages were not published/m)
  assert.ok(!anonymous.all.includes(registry.token), 'the token is never printed')
  assert.equal(await onRegistry(`${name}@0.1.1`), false)
  fs.writeFileSync(path.join(dir, '.npmrc'), registry.npmrc(scope))

  // A broken (truncated) artifact is refused before upload.
  const artifact = fs.readdirSync(path.join(dir, 'artifacts')).find((f) => f.endsWith('.node'))!
  const file = path.join(dir, 'artifacts', artifact)
  const good = fs.readFileSync(file)
  fs.writeFileSync(file, good.subarray(0, 4096))
  const broken = await rusty(['publish', '--registry', registry.url, '--no-build'], { cwd: dir })
  assert.equal(broken.exitCode, 1, broken.all)
  assert.match(broken.stderr, /^error: Refusing to publish .*@0\.1\.1: installed from its packed tarball with .*, it does not load on this machine/m)
  // What really happened, whole, not a source line of the loader: the
  // loader's error and its causes, or (a truncated mapped file) the crash.
  assert.match(broken.stderr, /^ {2}Caused by: (Error: Cannot find native binding|the load check's node process was killed by SIG[A-Z]+)/m)
  assert.doesNotMatch(broken.stderr, /new Error\(/)
  assert.equal(await onRegistry(`${name}@0.1.1`), false)
  fs.writeFileSync(file, good)

  // A package.json "files" list that leaves out the compiled wrapper: the
  // real install of the packed tarball catches it.
  const manifest = path.join(dir, 'package.json')
  const original = fs.readFileSync(manifest, 'utf8')
  fs.writeFileSync(manifest, JSON.stringify({ ...JSON.parse(original), files: ['native'] }, null, 2))
  const unpacked = await rusty(['publish', '--registry', registry.url, '--no-build'], { cwd: dir })
  assert.equal(unpacked.exitCode, 1, unpacked.all)
  assert.match(unpacked.stderr, /^error: Refusing to publish .*@0\.1\.1: .*does not load/m)
  assert.match(unpacked.stderr, /^hint: A file the package needs is not packed: check package\.json "files" and "exports"\.$/m)
  assert.equal(await onRegistry(`${name}@0.1.1`), false)
  fs.writeFileSync(manifest, original)

  // Re-running completes the publish.
  const done = await rusty(['publish', '--registry', registry.url, '--no-build', '--skip-existing'], { cwd: dir })
  assert.equal(done.exitCode, 0, done.all)
  assert.equal(await installAndCall(name, `${name}@0.1.1`, 'm.greet("npm")'), 'Hello, npm! (from Rust)')

  // Renamed as people do before a first publish: the loader and the platform
  // package follow package.json's name (issue 26): a fresh app that installs
  // only the new name loads it.
  const renamed = `${scope}/napi-renamed`
  await execa('npm', ['pkg', 'set', `name=${renamed}`], { cwd: dir })
  // With the loader built under the old name, the load check says so, whole, and how to fix it.
  const stale = await rusty(['publish', '--registry', registry.url, '--no-build'], { cwd: dir })
  assert.equal(stale.exitCode, 1, stale.all)
  assert.match(stale.stderr, new RegExp(`^ {2}Caused by: .*Cannot find module '${name}-\\S+'`, 'm'))
  assert.match(stale.stderr, new RegExp(`^hint: The loader asks for ${name}-\\S+, but the platform package is ${renamed}-\\S+: the package was renamed after native/ was built\\. Run \`rusty build\` \\(or drop --no-build\\)\\.$`, 'm'))
  const published = await rusty(['publish', '--registry', registry.url], { cwd: dir })
  assert.equal(published.exitCode, 0, published.all)
  assert.match(published.stderr, new RegExp(`published +${renamed.replace('/', '\\/')}-\\S+@0\\.1\\.1`))
  assert.equal(await installAndCall(renamed, `${renamed}@0.1.1`, 'm.add(2, 3)'), 5)
}
