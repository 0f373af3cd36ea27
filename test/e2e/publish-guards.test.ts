// Issue 24: no secret on disk or on npm, publish guards on every package,
// and the publish faults, on one real napi project (one cargo build) and
// real verdaccio registries on 127.0.0.1: a token set for `rusty develop`
// is written nowhere under the project; a private package, a package holding
// a token or a failing prepublishOnly uploads nothing; build outputs never
// ship; lifecycle scripts run in the package root, never in the staging
// folder; `publishConfig.registry` sends every package to the same registry;
// a URL's credentials are never printed; the load check's temporary app
// (which reads the project's .npmrc in place) is removed; a partial publish names the exact command that finishes it, and
// that command does; and for wasm, --no-build ships the release module.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { execa } from 'execa'
import { installProject, listFiles, rusty, tempDir } from '../helpers.js'
import { startRegistry, type TestRegistry } from '../registry.js'
import { platformOf } from '../../src/util/platform.js'

const scope = '@rusty-e2e'
const name = `${scope}/napi-guard`
let registry: TestRegistry
// Only the user `releaser` may publish the main package here; anyone logged in may publish the rest.
let guarded: TestRegistry
let dir: string
let platformName: string

before(async () => {
  registry = await startRegistry()
  guarded = await startRegistry({ packages: { [name]: { access: '$all', publish: 'releaser' } } })
  platformName = `${name}-${await platformOf()}`
})

after(async () => {
  await registry.stop()
  await guarded.stop()
})

async function onRegistry(spec: string, url = registry.url): Promise<boolean> {
  const result = await execa('npm', ['view', spec, 'version', '--registry', url], { reject: false })
  return result.exitCode === 0 && result.stdout.trim() !== ''
}

/** Files (relative) under `root`, node_modules aside, whose bytes hold `needle`. */
function filesHolding(root: string, needle: string): string[] {
  return listFiles(root).filter((file) => !file.startsWith('node_modules/') && fs.readFileSync(path.join(root, file)).includes(needle))
}

function editPackageJson(edit: (pkg: Record<string, unknown>) => void): void {
  const file = path.join(dir, 'package.json')
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>
  edit(pkg)
  fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`)
}

const random = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`

test('napi: a token set for rusty develop is written nowhere under the project', async () => {
  const cwd = tempDir()
  const created = await rusty(['new', 'napi-guard', '--name', name, '--backend', 'napi', '--yes', '--no-git', '--no-install'], { cwd })
  assert.equal(created.exitCode, 0, created.all)
  dir = path.join(cwd, 'napi-guard')
  await installProject(dir)
  fs.writeFileSync(path.join(dir, '.npmrc'), registry.npmrc(scope))
  // As `rusty init` leaves a package that has its own .gitignore and no "files": npm would pack everything.
  editPackageJson((pkg) => delete pkg.files)
  fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules\n')

  const token = random('cargo-token-')
  const env = { CARGO_REGISTRY_TOKEN: token, CARGO_REGISTRIES_PRIVATE_TOKEN: `${token}-2` }
  const first = await rusty(['develop'], { cwd: dir, env })
  assert.equal(first.exitCode, 0, first.all)
  // The second develop takes the fast path, whose stamp the first wrote.
  const second = await rusty(['develop'], { cwd: dir, env })
  assert.equal(second.exitCode, 0, second.all)
  const stamp = path.join(dir, '.rusty', 'napi-stamp.json')
  assert.ok(fs.existsSync(stamp), 'the fast path stamp was written')
  assert.deepEqual(filesHolding(dir, token), [])
  assert.equal(fs.statSync(stamp).mode & 0o777, 0o600)
  // A changed token is still a changed environment: the stamp's digest differs, napi-rs runs again.
  const changed = await rusty(['develop'], { cwd: dir, env: { ...env, CARGO_REGISTRY_TOKEN: `${token}-new` } })
  assert.equal(changed.exitCode, 0, changed.all)
  assert.deepEqual(filesHolding(dir, token), [])
})

test('napi: a private package uploads nothing, not even its platform package', async () => {
  editPackageJson((pkg) => (pkg.private = true))
  const result = await rusty(['publish', '--registry', registry.url], { cwd: dir })
  editPackageJson((pkg) => delete pkg.private)
  assert.equal(result.exitCode, 1, result.all)
  assert.match(result.stderr, /^error: Refusing to publish: .*package\.json has "private": true\. Nothing was published\.$/m)
  assert.match(result.stderr, /^hint: Remove "private": true from package\.json to publish this package\.$/m)
  assert.equal(await onRegistry(`${platformName}@0.1.0`), false)
  assert.equal(await onRegistry(`${name}@0.1.0`), false)
})

test('napi: a package holding a token from the environment uploads nothing', async () => {
  const token = random('npm_')
  fs.mkdirSync(path.join(dir, 'notes'), { recursive: true })
  fs.writeFileSync(path.join(dir, 'notes', 'release.md'), `publish with ${token}\n`)
  const result = await rusty(['publish', '--registry', registry.url], { cwd: dir, env: { NPM_TOKEN: token } })
  fs.rmSync(path.join(dir, 'notes'), { recursive: true })
  assert.equal(result.exitCode, 1, result.all)
  assert.match(result.stderr, new RegExp(`^error: Refusing to publish ${name}: notes/release\\.md holds NPM_TOKEN\\. Nothing was published\\.$`, 'm'))
  assert.ok(!result.all.includes(token), 'the token is never printed')
  assert.equal(await onRegistry(`${platformName}@0.1.0`), false)
  assert.equal(await onRegistry(`${name}@0.1.0`), false)
  assert.equal(fs.existsSync(path.join(dir, '.rusty', 'publish', 'load-check')), false)
})

test('napi: lifecycle scripts run in the package root, never in the staging folder; build outputs never ship', async () => {
  // A version of its own: what the tests above may have left on the registry does not matter here.
  editPackageJson((pkg) => (pkg.version = '0.2.0'))
  editPackageJson((pkg) => {
    pkg.scripts = {
      ...(pkg.scripts as object),
      prepublishOnly: `node -e "require('fs').writeFileSync('prepublish-ran.txt', process.cwd())"`,
      // Passes in the package root only: the staging folder has no node_modules.
      prepack: `node -e "require('fs').accessSync('node_modules/rusty-cli')"`,
      // npm runs postpack once the tarball is made (it often undoes prepack): rusty too, in the root.
      postpack: `node -e "require('fs').writeFileSync('postpack-ran.txt', process.cwd())"`,
      postpublish: `node -e "require('fs').writeFileSync('postpublish-ran.txt', process.cwd())"`,
    }
  })
  const result = await rusty(['publish', '--registry', registry.url, '--no-build'], { cwd: dir })
  assert.equal(result.exitCode, 0, result.all)
  assert.match(result.stderr, new RegExp(`published +${platformName.replace('/', '\\/')}@0\\.2\\.0`))
  assert.match(result.stderr, new RegExp(`published +${name.replace('/', '\\/')}@0\\.2\\.0`))
  assert.equal(fs.readFileSync(path.join(dir, 'prepublish-ran.txt'), 'utf8'), dir)
  assert.equal(fs.readFileSync(path.join(dir, 'postpublish-ran.txt'), 'utf8'), dir)
  assert.equal(fs.readFileSync(path.join(dir, 'postpack-ran.txt'), 'utf8'), dir)
  fs.rmSync(path.join(dir, 'postpack-ran.txt'))
  fs.rmSync(path.join(dir, 'prepublish-ran.txt'))
  fs.rmSync(path.join(dir, 'postpublish-ran.txt'))
  assert.equal(fs.existsSync(path.join(dir, '.rusty', 'publish', 'load-check')), false, "the load check's temporary app is gone")

  // What is on the registry: no .rusty/, no artifacts/, no target dir.
  const out = tempDir('rusty-tarball-')
  const packed = await execa('npm', ['pack', `${name}@0.2.0`, '--json', '--registry', registry.url, '--pack-destination', out], { cwd: out })
  const [report] = JSON.parse(packed.stdout) as { files: { path: string }[] }[]
  const paths = report!.files.map((f) => f.path)
  assert.ok(paths.includes('dist/index.js'), paths.join(', '))
  assert.deepEqual(paths.filter((p) => /(^|\/)(\.rusty|artifacts|target)\//.test(p)), [])
  assert.equal(await onRegistry(`${name}@0.2.0`), true)

  // A failing prepublishOnly stops everything before any upload.
  const bumped = await rusty(['version', '0.2.1'], { cwd: dir })
  assert.equal(bumped.exitCode, 0, bumped.all)
  editPackageJson((pkg) => ((pkg.scripts as Record<string, string>).prepublishOnly = 'node -e "process.exit(3)"'))
  const failing = await rusty(['publish', '--registry', registry.url, '--no-build'], { cwd: dir })
  assert.equal(failing.exitCode, 1, failing.all)
  assert.match(failing.stderr, /^error: The package's prepublishOnly script failed \(`npm run prepublishOnly`, exit code \d+\)\. Nothing was published\.$/m)
  // What npm ran and the script's own output stand above rusty's one-line error.
  assert.match(failing.stderr, /^> node -e "process\.exit\(3\)"$/m)
  assert.equal(await onRegistry(`${platformName}@0.2.1`), false)
  editPackageJson((pkg) => {
    const scripts = pkg.scripts as Record<string, string>
    delete scripts.prepublishOnly
    delete scripts.prepack
    delete scripts.postpack
    delete scripts.postpublish
  })
})

test('napi: credentials in --registry are never printed', async () => {
  const password = random('pw-')
  // No retries: npm would otherwise try the closed port for a minute.
  const result = await rusty(['publish', '--registry', `http://rusty:${password}@127.0.0.1:9/`, '--no-build'], { cwd: dir, env: { npm_config_fetch_retries: '0' } })
  assert.equal(result.exitCode, 1, result.all)
  assert.match(result.stderr, /^error: Cannot ask the registry http:\/\/\*\*\*@127\.0\.0\.1:9\/ about .*unreachable/m)
  assert.ok(!result.all.includes(password), result.all)
  assert.equal(fs.existsSync(path.join(dir, '.rusty', 'publish', 'load-check')), false)
})

test('napi: publishConfig.registry sends every package there; a partial publish names the command that finishes it', async () => {
  const port = (url: string) => new URL(url).port
  const writeNpmrc = (guardedToken: string) =>
    fs.writeFileSync(
      path.join(dir, '.npmrc'),
      `//127.0.0.1:${port(registry.url)}/:_authToken=${registry.token}\n//127.0.0.1:${port(guarded.url)}/:_authToken=${guardedToken}\n`,
    )
  writeNpmrc(guarded.token)
  editPackageJson((pkg) => {
    pkg.version = '0.3.0'
    pkg.publishConfig = { registry: guarded.url }
  })
  // npm's own default registry is the first one here, never a public registry.
  const env = { npm_config_registry: registry.url }
  const partial = await rusty(['publish', '--no-build'], { cwd: dir, env })
  assert.equal(partial.exitCode, 1, partial.all)
  assert.match(partial.stderr, new RegExp(`published +${platformName.replace('/', '\\/')}@0\\.3\\.0`))
  assert.equal(await onRegistry(`${platformName}@0.3.0`, guarded.url), true)
  assert.equal(await onRegistry(`${platformName}@0.3.0`, registry.url), false, 'the platform package went where the main one goes')
  assert.equal(await onRegistry(`${name}@0.3.0`, guarded.url), false)
  assert.match(partial.stderr, new RegExp(`^error: 1 of 2 packages were not published: ${name.replace('/', '\\/')}\\.$`, 'm'))
  const hint = /^hint: Fix the cause above, then run `([^`]+)` to publish the rest/m.exec(partial.stderr)
  assert.ok(hint, partial.stderr)
  assert.equal(hint[1], 'rusty publish --skip-existing --no-build')

  // Now as the user allowed to publish the main package: the printed command finishes the publish.
  writeNpmrc(await guarded.addUser('releaser'))
  const finished = await rusty(hint[1]!.split(' ').slice(1), { cwd: dir, env })
  assert.equal(finished.exitCode, 0, finished.all)
  assert.match(finished.stderr, new RegExp(`skipped +${platformName.replace('/', '\\/')}@0\\.3\\.0 \\(already on the registry\\)`))
  assert.match(finished.stderr, new RegExp(`published +${name.replace('/', '\\/')}@0\\.3\\.0`))
  assert.equal(await onRegistry(`${name}@0.3.0`, guarded.url), true)
  assert.equal(await onRegistry(`${name}@0.3.0`, registry.url), false)
})

test('napi: a version below the registry\'s latest is not called "already on the registry": npm\'s reason and lines are shown', async () => {
  // The registry of the test above has 0.3.0 of both packages: npm will not tag 0.2.9 "latest".
  editPackageJson((pkg) => (pkg.version = '0.2.9'))
  const result = await rusty(['publish', '--no-build'], { cwd: dir, env: { npm_config_registry: registry.url } })
  assert.equal(result.exitCode, 1, result.all)
  const platform = platformName.replace('/', '\\/')
  assert.match(result.stderr, new RegExp(`failed +${platform}@0\\.2\\.9 \\(a higher version is the latest on the registry: npm will not tag this one "latest" \\(pass --tag, or bump the version above it\\)\\)$`, 'm'))
  assert.match(result.stderr, /^│ npm error Cannot implicitly apply the "latest" tag because previously published version 0\.3\.0 is higher than the new version 0\.2\.9\. You must specify a tag using --tag\.$/m)
  assert.doesNotMatch(result.stderr, /\(this version is already on the registry\)|^error: Already on the registry/m)
  assert.equal(await onRegistry(`${platformName}@0.2.9`, guarded.url), false)
  assert.equal(await onRegistry(`${name}@0.2.9`, guarded.url), false)
})

// The Debian-built wasm32 standard library of ../shared's toolchain has no
// LLVM bitcode, so LTO cannot link against it (see wasm.test.ts).
const wasmEnv = process.env.RUSTY_WASM_TOOLCHAIN
  ? { RUSTUP_TOOLCHAIN: process.env.RUSTY_WASM_TOOLCHAIN, CARGO_PROFILE_RELEASE_LTO: 'false' }
  : {}

test('wasm: publish --no-build ships the release module from artifacts/, not the debug one develop left in native/', async () => {
  const cwd = tempDir()
  const wasmName = `${scope}/wasm-guard`
  const created = await rusty(['new', 'wasm-guard', '--name', wasmName, '--backend', 'wasm', '--yes', '--no-git', '--no-install'], { cwd })
  assert.equal(created.exitCode, 0, created.all)
  const project = path.join(cwd, 'wasm-guard')
  await installProject(project)
  fs.writeFileSync(path.join(project, '.npmrc'), registry.npmrc(scope))
  const built = await rusty(['build'], { cwd: project, env: wasmEnv })
  assert.equal(built.exitCode, 0, built.all)
  const developed = await rusty(['develop'], { cwd: project, env: wasmEnv })
  assert.equal(developed.exitCode, 0, developed.all)
  const [artifact] = fs.readdirSync(path.join(project, 'artifacts')).filter((f) => f.endsWith('.wasm'))
  assert.ok(artifact, 'rusty build wrote the module to artifacts/')
  const release = fs.readFileSync(path.join(project, 'artifacts', artifact))
  assert.notDeepEqual(fs.readFileSync(path.join(project, 'native', 'web', 'index_bg.wasm')), release, 'native/ holds the debug module now')

  const published = await rusty(['publish', '--registry', registry.url, '--no-build'], { cwd: project, env: wasmEnv })
  assert.equal(published.exitCode, 0, published.all)
  const out = tempDir('rusty-tarball-')
  const packed = await execa('npm', ['pack', `${wasmName}@0.1.0`, '--json', '--registry', registry.url, '--pack-destination', out], { cwd: out })
  const [report] = JSON.parse(packed.stdout) as { filename: string }[]
  await execa('tar', ['-xzf', path.join(out, report!.filename), '-C', out])
  assert.deepEqual(fs.readFileSync(path.join(out, 'package', 'native', 'web', 'index_bg.wasm')), release)

  // Without a release build in artifacts/: one error, the fix, nothing uploaded.
  const bumped = await rusty(['version', '0.1.1'], { cwd: project })
  assert.equal(bumped.exitCode, 0, bumped.all)
  fs.rmSync(path.join(project, 'artifacts', artifact))
  const missing = await rusty(['publish', '--registry', registry.url, '--no-build'], { cwd: project, env: wasmEnv })
  assert.equal(missing.exitCode, 1, missing.all)
  assert.match(missing.stderr, /^error: No release build in .*artifacts to publish \(the module the package ships is the release build, not the one in native\/\)\.$/m)
  assert.match(missing.stderr, /^hint: Run `rusty build` \(or drop --no-build\)\.$/m)
  assert.equal(await onRegistry(`${wasmName}@0.1.1`), false)
})
