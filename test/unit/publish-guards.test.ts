// What `rusty publish` refuses and redacts (src/publish/guards.ts,
// src/util/secrets.ts) and how it stages packages (src/publish/packages.ts):
// publishConfig inherited by platform packages, build outputs left out, the
// release module from artifacts/ in a wasm package. Staging runs the real
// `npm pack --dry-run`; the uploads themselves are in test/e2e/publish-guards.test.ts.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { finishingCommand } from '../../src/commands/publish.js'
import { RustyError } from '../../src/errors.js'
import { checkManifest, checkPackedFiles, findSecrets, forbiddenReason } from '../../src/publish/guards.js'
import { inheritedPublishConfig, publishRegistry, stagePackages } from '../../src/publish/packages.js'
import type { Project } from '../../src/project/config.js'
import { redact, secretsOf } from '../../src/util/secrets.js'

function tempDir(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-guards-')))
}

test('redact hides the credentials of URLs, npmrc lines and secret values', () => {
  assert.equal(redact('npm error 403 http://alice:s3cr3t-pw@127.0.0.1:4873/x', []), 'npm error 403 http://***@127.0.0.1:4873/x')
  assert.equal(redact('see https://tok3n@registry.example.com/', []), 'see https://***@registry.example.com/')
  assert.equal(redact('//127.0.0.1:4873/:_authToken=abcdef123456\n_auth = dXNlcjpwYXNz', []), '//127.0.0.1:4873/:_authToken=***\n_auth = ***')
  const secrets = secretsOf({ NPM_TOKEN: 'npm_abcdefgh12345', SHORT_TOKEN: 'abc', PATH: '/usr/bin:/bin', MY_API_KEY: 'key-0123456789' })
  assert.deepEqual(secrets.map((s) => s.name).sort(), ['MY_API_KEY', 'NPM_TOKEN'])
  assert.equal(redact('failed with npm_abcdefgh12345 and key-0123456789', secrets), 'failed with *** and ***')
  // Nothing else changes.
  assert.equal(redact('http://127.0.0.1:4873/ is unreachable', secrets), 'http://127.0.0.1:4873/ is unreachable')
})

test('the command that finishes a partial publish repeats the options, with no password', () => {
  assert.equal(finishingCommand({}), 'rusty publish --skip-existing --no-build')
  assert.equal(
    finishingCommand({ registry: 'http://bob:hunter2-pw@127.0.0.1:4873/', tag: 'next', access: 'public', out: 'my artifacts' }),
    "rusty publish --skip-existing --no-build --registry http://***@127.0.0.1:4873/ --tag next --access public --out 'my artifacts'",
  )
  // A dry run's finishing command stays a dry run: following it must not publish for real.
  assert.equal(finishingCommand({ dryRun: true }), 'rusty publish --skip-existing --no-build --dry-run')
})

test('checkManifest refuses a private package and a missing or invalid name or version', () => {
  const refused = (pkg: Record<string, unknown>) => {
    try {
      checkManifest(pkg, '/p/package.json')
    } catch (error) {
      assert.ok(error instanceof RustyError)
      return `${error.message} | ${error.hint}`
    }
    return undefined
  }
  assert.equal(refused({ name: 'ok', version: '1.0.0' }), undefined)
  assert.match(refused({ name: 'ok', version: '1.0.0', private: true })!, /^Refusing to publish: \/p\/package\.json has "private": true\. Nothing was published\. \| Remove "private": true/)
  assert.match(refused({ version: '1.0.0' })!, /has no "name"/)
  assert.match(refused({ name: 'Bad Name', version: '1.0.0' })!, /an invalid "name" \("Bad Name"\)/)
  assert.match(refused({ name: 'ok' })!, /has no "version".*rusty version/)
  assert.match(refused({ name: 'ok', version: 'one' })!, /an invalid "version" \("one"\)/)
})

test('forbiddenReason names rusty state, cargo target dirs, artifacts and temp files', () => {
  const folders = { crate: 'rust', artifacts: 'artifacts', target: 'build/cargo' }
  const cargoDirs = new Set(['vendor/x/target'])
  const reason = (file: string) => forbiddenReason(file, folders, (dir) => cargoDirs.has(dir))
  assert.match(reason('.rusty/napi-stamp.json')!, /state folder/)
  assert.match(reason('rust/.rusty/publish/load-check/.npmrc')!, /state folder/)
  assert.match(reason('rust/target/debug/libx.so')!, /cargo target dir/)
  assert.match(reason('target/release/libx.so')!, /cargo target dir/)
  assert.match(reason('build/cargo/debug/x.d')!, /cargo target dir/)
  assert.match(reason('vendor/x/target/CACHEDIR.TAG')!, /cargo target dir/)
  assert.match(reason('artifacts/x.linux-x64-gnu.node')!, /artifacts folder/)
  assert.match(reason('native/.x.node.123.abcd.tmp')!, /temporary file/)
  assert.match(reason('native/.napi-stage-1/x.node')!, /temporary file/)
  for (const ok of ['dist/index.js', 'native/index.js', 'src/target/readme.md', 'README.md', 'rust/src/lib.rs']) assert.equal(reason(ok), undefined, ok)
  assert.equal(forbiddenReason('target/x.js', { crate: '.' }), 'a cargo target dir')
})

test('findSecrets finds token values (text and binary) and npmrc credential lines, naming the variable only', async () => {
  const dir = tempDir()
  fs.writeFileSync(path.join(dir, 'notes.md'), 'my token is tok-0123456789abcdef\n')
  fs.writeFileSync(path.join(dir, 'lib.node'), Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from('tok-0123456789abcdef'), Buffer.from([0])]))
  fs.writeFileSync(path.join(dir, 'npmrc.txt'), 'registry=http://x/\n//x/:_authToken=${NPM_TOKEN}\n')
  fs.writeFileSync(path.join(dir, 'clean.js'), 'export const a = 1\n// _authToken is a word here\n')
  const secrets = secretsOf({ CARGO_REGISTRY_TOKEN: 'tok-0123456789abcdef' })
  const findings = await findSecrets(dir, ['notes.md', 'lib.node', 'npmrc.txt', 'clean.js'], secrets)
  assert.deepEqual(findings, [
    { file: 'notes.md', what: ['CARGO_REGISTRY_TOKEN'] },
    { file: 'lib.node', what: ['CARGO_REGISTRY_TOKEN'] },
    { file: 'npmrc.txt', what: ['an npmrc credential line'] },
  ])
})

test("findSecrets refuses a URL with a password in a package's metadata (package.json, .npmrc), not in its docs", async () => {
  const dir = tempDir()
  fs.mkdirSync(path.join(dir, 'sub'))
  const withPassword = JSON.stringify({ name: 'x', publishConfig: { registry: 'https://ci:s3cret-pw@npm.example.com/' } })
  fs.writeFileSync(path.join(dir, 'package.json'), withPassword)
  fs.writeFileSync(path.join(dir, 'sub', 'package.json'), JSON.stringify({ repository: 'git+ssh://git@github.com/o/r.git' }))
  fs.writeFileSync(path.join(dir, 'README.md'), 'Connect with postgres://user:password@localhost/db\n')
  const findings = await findSecrets(dir, ['package.json', 'sub/package.json', 'README.md'], [])
  assert.deepEqual(findings, [{ file: 'package.json', what: ['a URL with a password'] }])
})

test('checkPackedFiles refuses a package whose packed files include .rusty/ or a token, and never prints the token', async () => {
  const dir = tempDir()
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'leaky', version: '1.0.0' }))
  fs.mkdirSync(path.join(dir, '.rusty'))
  fs.writeFileSync(path.join(dir, '.rusty', 'stamp.json'), '{}')
  await assert.rejects(checkPackedFiles('leaky', dir, { crate: 'rust' }, []), (error: RustyError) => {
    assert.match(error.message, /^Refusing to publish leaky: it would contain \.rusty\/stamp\.json \(rusty's state folder \(\.rusty\/\)\)\. Nothing was published\.$/)
    return true
  })
  fs.rmSync(path.join(dir, '.rusty'), { recursive: true })
  fs.writeFileSync(path.join(dir, 'index.js'), 'export const key = "npm_Zq9secretvalue"\n')
  const secrets = secretsOf({ NPM_TOKEN: 'npm_Zq9secretvalue' })
  await assert.rejects(checkPackedFiles('leaky', dir, { crate: 'rust' }, secrets), (error: RustyError) => {
    assert.equal(error.message, 'Refusing to publish leaky: index.js holds NPM_TOKEN. Nothing was published.')
    assert.ok(!`${error.message}${error.hint}`.includes('npm_Zq9secretvalue'))
    return true
  })
  fs.writeFileSync(path.join(dir, 'index.js'), 'export const key = 1\n')
  await checkPackedFiles('leaky', dir, { crate: 'rust' }, secrets)
})

test('publishConfig: every platform package inherits registry, access, tag and provenance; --registry wins', () => {
  const pkg = {
    name: '@acme/lib',
    publishConfig: { registry: 'https://r.example/', '@acme:registry': 'https://scoped.example/', access: 'public', tag: 'next', provenance: true, directory: 'dist' },
  }
  assert.deepEqual(inheritedPublishConfig(pkg), {
    registry: 'https://r.example/',
    '@acme:registry': 'https://scoped.example/',
    access: 'public',
    tag: 'next',
    provenance: true,
  })
  assert.equal(inheritedPublishConfig({ name: 'x' }), undefined)
  assert.equal(publishRegistry(pkg, undefined), 'https://scoped.example/')
  assert.equal(publishRegistry({ name: 'x', publishConfig: { registry: 'https://r.example/' } }, undefined), 'https://r.example/')
  assert.equal(publishRegistry(pkg, 'http://127.0.0.1:9/'), 'http://127.0.0.1:9/')
  assert.equal(publishRegistry({ name: 'x' }, undefined), undefined)
})

/** A project on disk with no "files" (npm packs everything but .gitignore'd files), as `rusty init` can leave it. */
function fakeProject(backend: 'napi' | 'wasm'): Project {
  const root = tempDir()
  const packageJson = {
    name: 'fake-lib',
    version: '1.2.3',
    type: 'module',
    license: 'MIT',
    publishConfig: { registry: 'http://127.0.0.1:9/', access: 'public', tag: 'beta' },
    rusty: { backend, crate: 'rust' },
  }
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify(packageJson))
  fs.writeFileSync(path.join(root, '.gitignore'), 'node_modules\n')
  const files: Record<string, string> = {
    'dist/index.js': 'export * from "../native/index.js"\n',
    '.rusty/napi-stamp.json': '{}',
    '.rusty/publish/old/package.json': '{}',
    'rust/Cargo.toml': '[package]\nname = "fake"\n',
    'rust/target/CACHEDIR.TAG': 'Signature: 8a477f597d28d172789f06886806bc55\n',
    'rust/target/debug/libfake.so': 'debug library',
    'artifacts/fake.linux-x64-gnu.node': 'release library',
    'artifacts/fake.wasm': 'release module',
    'native/index.js': 'loader',
    'native/web/index_bg.wasm': 'debug module',
    'native/.fake.node.1.abcd.tmp': 'half-written',
  }
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true })
    fs.writeFileSync(path.join(root, file), content)
  }
  return {
    root,
    packageJsonPath: path.join(root, 'package.json'),
    packageJson,
    config: { backend, crate: 'rust', glibc: '2.17' },
    crateDir: path.join(root, 'rust'),
    manifestPath: path.join(root, 'rust', 'Cargo.toml'),
    nativeDir: path.join(root, 'native'),
    stateDir: path.join(root, '.rusty'),
  }
}

function stagedFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort()
}

test('stagePackages: platform packages get publishConfig; .rusty/, target/, artifacts/ and temp files are left out', async () => {
  const project = fakeProject('napi')
  const artifact = { platform: 'linux-x64-gnu', file: path.join(project.root, 'artifacts', 'fake.linux-x64-gnu.node') }
  const { staged, leftOut } = await stagePackages(project, { platformArtifacts: [artifact], folders: { crate: 'rust', artifacts: 'artifacts' } })
  const [platform, main] = staged
  const platformPkg = JSON.parse(fs.readFileSync(path.join(platform!.dir, 'package.json'), 'utf8'))
  assert.equal(platformPkg.name, 'fake-lib-linux-x64-gnu')
  assert.deepEqual(platformPkg.publishConfig, { registry: 'http://127.0.0.1:9/', access: 'public', tag: 'beta' })
  assert.deepEqual(stagedFiles(main!.dir), ['dist/index.js', 'native/index.js', 'native/web/index_bg.wasm', 'package.json', 'rust/Cargo.toml'])
  assert.deepEqual(leftOut.map((l) => l.file).sort(), [
    '.rusty/napi-stamp.json',
    'artifacts/fake.linux-x64-gnu.node',
    'artifacts/fake.wasm',
    'native/.fake.node.1.abcd.tmp',
    'rust/target/CACHEDIR.TAG',
    'rust/target/debug/libfake.so',
  ])
  // What staging produced passes the final check.
  for (const pkg of staged) await checkPackedFiles(pkg.name, pkg.dir, { crate: 'rust', artifacts: 'artifacts' }, [])
})

test('stagePackages: a package that ships its artifact (wasm) gets the release module from artifacts/, not native/', async () => {
  const project = fakeProject('wasm')
  const bundled = { artifact: { platform: 'wasm32', file: path.join(project.root, 'artifacts', 'fake.wasm') }, packagedAs: 'index_bg.wasm' }
  const { staged } = await stagePackages(project, { platformArtifacts: [], bundled, folders: { crate: 'rust', artifacts: 'artifacts' } })
  assert.equal(staged.length, 1)
  assert.equal(fs.readFileSync(path.join(staged[0]!.dir, 'native', 'web', 'index_bg.wasm'), 'utf8'), 'release module')
  // The project's own native/ is untouched.
  assert.equal(fs.readFileSync(path.join(project.nativeDir, 'web', 'index_bg.wasm'), 'utf8'), 'debug module')

  fs.rmSync(path.join(project.nativeDir, 'web'), { recursive: true })
  await assert.rejects(stagePackages(project, { platformArtifacts: [], bundled, folders: { crate: 'rust' } }), /has no native\/\*\*\/index_bg\.wasm for artifacts\/fake\.wasm/)
})

test('publish --no-build of a wasm package without a release module in artifacts/ says to run rusty build', async () => {
  const project = fakeProject('wasm')
  fs.rmSync(path.join(project.root, 'artifacts', 'fake.wasm'))
  const { publish } = await import('../../src/commands/publish.js')
  const { createReporter } = await import('../../src/util/reporter.js')
  await assert.rejects(publish({ cwd: project.root, noBuild: true, reporter: createReporter({ silent: true }) }), (error: RustyError) => {
    assert.match(error.message, /^No release build in .*artifacts to publish \(the module the package ships is the release build, not the one in native\/\)\.$/)
    assert.equal(error.hint, 'Run `rusty build` (or drop --no-build).')
    return true
  })
})

test('loadErrorOf: the load check child\'s error and every cause, whole; a crash keeps its output and how it ended', async () => {
  const { loadErrorOf } = await import('../../src/pipeline/load-check.js')
  const chain = ['Error: Cannot find native binding. npm has a bug related to optional dependencies.\nPlease try `npm i` again.', 'Error: Cannot find module \'@s/lib-linux-x64-gnu\'']
  const stderr = `node:internal/x:1\n    const error = new Error(\n          ^\n\nrusty-load-error:${JSON.stringify(chain)}\n`
  assert.deepEqual(loadErrorOf({ stderr, exitCode: 1 }), chain)
  const crash = loadErrorOf({ stderr: 'fatal runtime error: stack overflow\n    at x (y.js:1:1)\n', signal: 'SIGABRT' })
  assert.deepEqual(crash, ["fatal runtime error: stack overflow\nthe load check's node process was killed by SIGABRT (the library crashed the process)"])
})

test('loadFailureHint: a loader built under the old name, a file left out, else a broken artifact', async () => {
  const { loadFailureHint } = await import('../../src/publish/verify.js')
  const host = { name: '@s/lib-linux-x64-gnu', platform: 'linux-x64-gnu' }
  const renamed = "Error: Cannot find native binding.\nError: Cannot find module 'old-lib-linux-x64-gnu'\nRequire stack:"
  assert.equal(loadFailureHint(renamed, host), 'The loader asks for old-lib-linux-x64-gnu, but the platform package is @s/lib-linux-x64-gnu: the package was renamed after native/ was built. Run `rusty build` (or drop --no-build).')
  assert.equal(loadFailureHint("Error [ERR_MODULE_NOT_FOUND]: Cannot find module '/app/node_modules/@s/lib/dist/index.js'", host), 'A file the package needs is not packed: check package.json "files" and "exports".')
  assert.match(loadFailureHint("the load check's node process was killed by SIGBUS", host), /^Rebuild with `rusty build`/)
})
