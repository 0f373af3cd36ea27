// Issue 26: published open-source projects (test/fixtures/real/<name>, each
// with its licence and SOURCE.md) taken through what a user does with rusty:
// init with no hand edit, install, develop, the project's own test command,
// the package imported by its name from an app (ESM import and require()),
// then rusty version and publish --dry-run against a real registry.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { execa } from 'execa'
import { installProject, listFiles, repoRoot, rusty, runNode, tempDir, testEnv } from '../helpers.js'
import { startRegistry, type TestRegistry } from '../registry.js'

// The Debian-built wasm32 standard library of ../shared's toolchain has no
// LLVM bitcode, so a release build cannot use LTO with it (as in publish.test.ts).
const wasmEnv: Record<string, string> = process.env.RUSTY_WASM_TOOLCHAIN
  ? { RUSTUP_TOOLCHAIN: process.env.RUSTY_WASM_TOOLCHAIN, CARGO_PROFILE_RELEASE_LTO: 'false' }
  : {}

/** One published project and what proves it works after `rusty init`. */
interface RealProject {
  /** Folder under test/fixtures/real/. */
  fixture: string
  backend: 'napi' | 'wasm'
  /** The subpath an app imports (`''` for the package itself, `/node` for `<name>/node`). */
  subpath: string
  /** An expression on the imported module `m`, printed as JSON. */
  call: string
  expected: unknown
  /** What the output of the package's `npm test` after init (rusty develop, then the project's own tests) shows. */
  passed: RegExp
  env: Record<string, string>
  /** `test:only` after init when init changes the project's own test command (listed), else that command. */
  testOnly?: string
}

const projects: RealProject[] = [
  {
    fixture: 'napi-v2-package-template',
    backend: 'napi',
    subpath: '',
    call: 'm.plus100(1)',
    expected: 101,
    passed: /1 test passed/,
    env: {},
  },
  {
    fixture: 'napi-v3-node-rs-crc32',
    backend: 'napi',
    subpath: '',
    call: `m.crc32c(Buffer.from('crc32c - test'))`,
    expected: 2608757237,
    passed: /4 tests passed/,
    env: {},
  },
  {
    fixture: 'wasm-bindgen-lz4-wasm',
    backend: 'wasm',
    subpath: '',
    call: `new TextDecoder().decode(m.decompress(m.compress(new TextEncoder().encode('lz4 lz4 lz4 lz4'))))`,
    expected: 'lz4 lz4 lz4 lz4',
    passed: /^# pass 1$/m,
    env: wasmEnv,
  },
  {
    // The Node-only trim (SOURCE.md): its jest tests (ts-jest) run in jest's ESM mode after init.
    fixture: 'wasm-pack-kikiutils-lz4',
    backend: 'wasm',
    subpath: '',
    call: `new TextDecoder().decode(m.decompress_size_prepended(m.compress_prepend_size(new TextEncoder().encode('kiki kiki kiki'))))`,
    expected: 'kiki kiki kiki',
    passed: /^Tests: +4 passed, 4 total$/m,
    env: wasmEnv,
    testOnly: 'node --experimental-vm-modules node_modules/jest/bin/jest.js --config jest.config.rusty.mjs --coverage',
  },
]

/**
 * For the one release build publish makes: the projects' fat LTO and single
 * codegen unit cost CI time (the crate is rebuilt in each temp copy, and
 * again after `rusty version`) and are not what this test checks.
 */
const quickRelease = { CARGO_PROFILE_RELEASE_LTO: 'false', CARGO_PROFILE_RELEASE_CODEGEN_UNITS: '16' }

let registry: TestRegistry

before(async () => {
  registry = await startRegistry()
})

after(async () => {
  await registry.stop()
})

/** The fixture's package.json `name` and original test command (what the project ran as `npm test`). */
function original(dir: string): { name?: string; test?: string } {
  const file = path.join(dir, 'package.json')
  if (!fs.existsSync(file)) return {}
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; scripts?: Record<string, string> }
  return { name: pkg.name, test: pkg.scripts?.test }
}

for (const project of projects) {
  test(`${project.fixture}: init, develop, its own tests, import by name (ESM and require), version, publish --dry-run`, async (t) => {
    // Seconds per step, printed as test diagnostics (the suite's CI time is a budget).
    let last = Date.now()
    const lap = (step: string) => {
      t.diagnostic(`${step}: ${((Date.now() - last) / 1000).toFixed(1)} s`)
      last = Date.now()
    }
    const dir = path.join(tempDir(), project.fixture)
    fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'real', project.fixture), dir, { recursive: true })
    const before = original(dir)

    const initialized = await rusty(['init', '--backend', project.backend, '--yes'], { cwd: dir })
    assert.equal(initialized.exitCode, 0, initialized.all)
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name: string; version: string; scripts: Record<string, string> }
    if (before.name) assert.equal(pkg.name, before.name, 'the package keeps its name')
    if (before.test) assert.equal(pkg.scripts['test:only'], project.testOnly ?? before.test, "the project's own test command is kept")

    lap('init')
    await installProject(dir)
    lap('install')
    const built = await rusty(['develop'], { cwd: dir, env: project.env })
    assert.equal(built.exitCode, 0, built.all)
    lap('develop')

    const own = await execa('npm', ['test'], { cwd: dir, env: testEnv(project.env), stdin: 'ignore', reject: false, all: true })
    assert.equal(own.exitCode, 0, own.all)
    assert.match(own.all ?? '', project.passed)
    lap('npm test')

    // An app next to it, linked as `rusty develop --into` links it.
    const app = tempDir('rusty-app-')
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'rusty-e2e-real-app', private: true }))
    const linked = await rusty(['develop', '--into', app], { cwd: dir, env: project.env })
    assert.equal(linked.exitCode, 0, linked.all)
    const specifier = JSON.stringify(`${pkg.name}${project.subpath}`)
    assert.deepEqual(await runNode(app, `const m = await import(${specifier}); console.log(JSON.stringify(${project.call}))`), project.expected, 'ESM import')
    const required = await execa(process.execPath, ['-e', `const m = require(${specifier}); console.log(JSON.stringify(${project.call}))`], { cwd: app, stdin: 'ignore', reject: false, all: true })
    assert.equal(required.exitCode, 0, required.all)
    assert.deepEqual(JSON.parse(required.stdout), project.expected, 'require()')
    lap('develop --into, import, require')

    const bumped = await rusty(['version', 'patch'], { cwd: dir })
    assert.equal(bumped.exitCode, 0, bumped.all)
    const version = (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version
    assert.notEqual(version, pkg.version)
    fs.writeFileSync(path.join(dir, '.npmrc'), registry.npmrcAll())
    const dry = await rusty(['publish', '--registry', registry.url, '--dry-run'], { cwd: dir, env: { ...project.env, ...quickRelease } })
    assert.equal(dry.exitCode, 0, dry.all)
    lap('version, publish --dry-run')
    assert.match(dry.stderr, new RegExp(`dry-run +${pkg.name.replace('/', '\\/')}@${version.replaceAll('.', '\\.')}`))
  })
}

test("wasm-pack-kikiutils-lz4 with its published src/web.ts: init writes nothing while web.ts loads wasm-pack's --target web build and its .wasm through a bundler plugin, and says how to fix each", async () => {
  const dir = path.join(tempDir(), 'wasm-pack-kikiutils-lz4')
  fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'real', 'wasm-pack-kikiutils-lz4'), dir, { recursive: true })
  // The published project's web entry, kept apart from the Node-only trim (SOURCE.md).
  fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'real', 'wasm-pack-kikiutils-lz4-web', 'src', 'web.ts'), path.join(dir, 'src', 'web.ts'))
  const files = listFiles(dir)
  const packageJson = fs.readFileSync(path.join(dir, 'package.json'), 'utf8')

  const refused = await rusty(['init', '--backend', 'wasm', '--yes'], { cwd: dir })
  assert.equal(refused.exitCode, 2, refused.all)
  assert.match(
    refused.stderr,
    /^error: \S+ imports wasm-pack's output in a way rusty's binding cannot stand in for: src\/web\.ts:1 '\.\.\/rust\/pkg\/web\/lz4_wasm' \(built with --target web, which needs its init\(\) call: import the binding instead and delete the init\(\) call\), src\/web\.ts:2 '\.\.\/rust\/pkg\/web\/lz4_wasm_bg\.wasm' \(a \.wasm file \(a bundler plugin loads it\): delete this import, the binding loads its \.wasm itself\)\. Nothing was written\.$/m,
  )
  assert.match(refused.stderr, /^hint: Make these changes \(the binding is '#native' from src\/\), then run rusty init again; it rewrites the plain imports/m)
  assert.doesNotMatch(refused.stderr, /src\/node\.ts|CommonJS|This is a bug/, "src/node.ts's import (build-wasm.sh's --target nodejs) is rewritten, not refused; jest.config.js is renamed")
  assert.deepEqual(listFiles(dir), files, 'nothing was written or renamed')
  assert.equal(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'), packageJson)
})

test("wasm-pack-kikiutils-lz4: init --yes points src/node.ts's import of wasm-pack's --target nodejs output at '#native' and runs its jest in ESM mode, listed; without consent it writes nothing", async () => {
  const dir = path.join(tempDir(), 'wasm-pack-kikiutils-lz4')
  fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'real', 'wasm-pack-kikiutils-lz4'), dir, { recursive: true })
  const files = listFiles(dir)
  const node = fs.readFileSync(path.join(dir, 'src', 'node.ts'), 'utf8')

  const declined = await rusty(['init', '--backend', 'wasm'], { cwd: dir })
  assert.equal(declined.exitCode, 2, declined.all)
  assert.match(declined.stderr, /^error: rusty init needs to (rename CommonJS tool configs|point the imports of wasm-pack's output)/m)
  assert.deepEqual(listFiles(dir), files, 'nothing was written')

  const accepted = await rusty(['init', '--backend', 'wasm', '--yes'], { cwd: dir })
  assert.equal(accepted.exitCode, 0, accepted.all)
  assert.match(accepted.stderr, /rusty init will point the imports of wasm-pack's output .*:\n {2}src\/node\.ts:6 '\.\.\/rust\/pkg\/node\/lz4_wasm' → '#native'\n/)
  assert.match(accepted.stderr, /Edited: .*src\/node\.ts/)
  assert.match(accepted.stderr, /Script "test:only": "jest --coverage" → "node --experimental-vm-modules node_modules\/jest\/bin\/jest\.js --config jest\.config\.rusty\.mjs --coverage"/)
  assert.match(accepted.stderr, /Created: jest\.config\.rusty\.mjs/)
  assert.ok(fs.existsSync(path.join(dir, 'jest.config.cjs')), 'the project config is kept, renamed')
  assert.equal(fs.readFileSync(path.join(dir, 'src', 'node.ts'), 'utf8'), node.replace("from '../rust/pkg/node/lz4_wasm';", "from '#native';"), 'only the specifier changed')
})

test('a CommonJS jest.config.js is renamed to jest.config.cjs with --yes, listed; without consent init writes nothing', async () => {
  const dir = tempDir()
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'rusty-e2e-jest-config', version: '1.0.0', scripts: { test: 'jest' } }))
  fs.writeFileSync(path.join(dir, 'jest.config.js'), "module.exports = { testEnvironment: 'node' }\n")

  const declined = await rusty(['init', '--backend', 'wasm'], { cwd: dir })
  assert.equal(declined.exitCode, 2, declined.all)
  assert.match(declined.stderr, /^error: rusty init needs to rename CommonJS tool configs to \.cjs, as the package becomes an ES module: jest\.config\.js → jest\.config\.cjs/m)
  assert.deepEqual(listFiles(dir), ['jest.config.js', 'package.json'])

  const accepted = await rusty(['init', '--backend', 'wasm', '--yes'], { cwd: dir })
  assert.equal(accepted.exitCode, 0, accepted.all)
  assert.match(accepted.stderr, /Renamed: jest\.config\.js → jest\.config\.cjs/)
  assert.equal(fs.readFileSync(path.join(dir, 'jest.config.cjs'), 'utf8'), "module.exports = { testEnvironment: 'node' }\n")
  assert.ok(!fs.existsSync(path.join(dir, 'jest.config.js')))
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).type, 'module')
})
