// `rusty init` from both starting points, each followed by a working develop.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { execa } from 'execa'
import { installProject, listFiles, repoRoot, rusty, runNode, tempDir, testEnv } from '../helpers.js'

const toolchain = process.env.RUSTY_WASM_TOOLCHAIN ? { RUSTUP_TOOLCHAIN: process.env.RUSTY_WASM_TOOLCHAIN } : {}

/** A copy of test/fixtures/<name> in a fresh temporary folder. */
function copyFixture(name: string): string {
  const dir = path.join(tempDir(), name)
  fs.cpSync(path.join(repoRoot, 'test', 'fixtures', name), dir, { recursive: true })
  return dir
}

/** The project's own `npm test`, which must pass. */
async function projectTest(dir: string, env: Record<string, string | undefined> = {}) {
  const result = await execa('npm', ['test'], { cwd: dir, env: testEnv(env), stdin: 'ignore', reject: false, all: true })
  assert.equal(result.exitCode, 0, result.all)
  return result.all ?? ''
}

test('init adds rusty to an existing npm package, skipping what exists, and develop works', async () => {
  const dir = path.join(tempDir(), 'existing-lib')
  fs.mkdirSync(dir)
  const original = { name: 'rusty-e2e-init-pkg', version: '1.2.0', type: 'module', scripts: { test: 'node --test test/', lint: 'true' }, files: ['dist'] }
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(original, null, 2))
  fs.writeFileSync(path.join(dir, 'README.md'), '# mine\n')

  const result = await rusty(['init', '--backend', 'napi', '--yes'], { cwd: dir })
  assert.equal(result.exitCode, 0, result.all)
  assert.match(result.stderr, /Skipped \(already there, left unchanged\): README\.md/)
  assert.equal(fs.readFileSync(path.join(dir, 'README.md'), 'utf8'), '# mine\n')
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))
  assert.deepEqual(pkg.rusty, { backend: 'napi', crate: 'rust' })
  assert.equal(pkg.version, '1.2.0')
  assert.deepEqual(pkg.scripts, { develop: 'rusty develop', test: 'node --test test/', 'test:only': 'node --test', lint: 'true' }, 'existing scripts win')
  assert.deepEqual(pkg.files, ['dist', 'native'])
  assert.deepEqual(Object.keys(pkg.devDependencies).sort(), ['@napi-rs/cli', 'rusty-cli', 'typescript'], 'init adds the build tools')
  for (const file of ['rust/Cargo.toml', 'rust/build.rs', 'rust/src/lib.rs', 'src/index.ts', 'tsconfig.json']) {
    assert.ok(listFiles(dir).includes(file), `${file} was added`)
  }

  await installProject(dir)
  const built = await rusty(['develop'], { cwd: dir })
  assert.equal(built.exitCode, 0, built.all)
  assert.equal(await runNode(dir, `import { add } from 'rusty-e2e-init-pkg'; console.log(JSON.stringify(add(2, 3)))`), 5)

  const again = await rusty(['init', '--yes'], { cwd: dir })
  assert.equal(again.exitCode, 2, again.all)
  assert.match(again.stderr, /already has a "rusty" block/)
})

test('init wraps an existing Rust library crate in a TypeScript package, and develop works', async () => {
  const dir = path.join(tempDir(), 'plain-crate')
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true })
  const cargo = '# my crate\n[package]\nname = "rusty-e2e-init-crate"\nversion = "0.3.0"\nedition = "2021"\n\n[dependencies]\n'
  fs.writeFileSync(path.join(dir, 'Cargo.toml'), cargo)
  const lib = 'pub fn double(x: i32) -> i32 {\n    x * 2\n}\n'
  fs.writeFileSync(path.join(dir, 'src', 'lib.rs'), lib)

  const result = await rusty(['init', '--backend', 'napi', '--yes'], { cwd: dir })
  assert.equal(result.exitCode, 0, result.all)
  assert.equal(fs.readFileSync(path.join(dir, 'src', 'lib.rs'), 'utf8'), lib, 'the Rust code is untouched')
  const manifest = fs.readFileSync(path.join(dir, 'Cargo.toml'), 'utf8')
  assert.ok(manifest.startsWith('# my crate\n[package]'), 'existing lines and comments stay')
  assert.match(manifest, /crate-type = \["cdylib", "rlib"\]/)
  assert.match(manifest, /^napi = /m)
  assert.match(manifest, /^napi-build = /m)
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))
  assert.equal(pkg.name, 'rusty-e2e-init-crate')
  assert.deepEqual(pkg.rusty, { backend: 'napi', crate: '.' })
  assert.ok(fs.existsSync(path.join(dir, 'build.rs')))

  // The user exports the function to JavaScript, as they would next.
  fs.writeFileSync(path.join(dir, 'src', 'lib.rs'), `use napi_derive::napi;\n\n#[napi]\n${lib}`)
  await installProject(dir)
  const built = await rusty(['develop'], { cwd: dir })
  assert.equal(built.exitCode, 0, built.all)
  assert.equal(await runNode(dir, `import { double } from 'rusty-e2e-init-crate'; console.log(JSON.stringify(double(21)))`), 42)
})

test("init turns napi-rs's package-template into a rusty package: its crate, its function, its own ava tests", async () => {
  const dir = copyFixture('napi-package-template')
  const lib = fs.readFileSync(path.join(dir, 'src', 'lib.rs'), 'utf8')
  const tsconfig = fs.readFileSync(path.join(dir, 'tsconfig.json'), 'utf8')
  const result = await rusty(['init', '--backend', 'napi', '--yes'], { cwd: dir })
  assert.equal(result.exitCode, 0, result.all)
  assert.ok(!fs.existsSync(path.join(dir, 'rust')), 'no second crate: the existing one is used')
  assert.equal(fs.readFileSync(path.join(dir, 'src', 'lib.rs'), 'utf8'), lib, 'the Rust code is untouched')
  assert.equal(fs.readFileSync(path.join(dir, 'tsconfig.json'), 'utf8'), tsconfig, "the project's tsconfig.json stays")
  assert.ok(fs.existsSync(path.join(dir, 'tsconfig.rusty.json')), "rusty's own settings for the wrapper")
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))
  assert.deepEqual(pkg.rusty, { backend: 'napi', crate: '.' })
  assert.equal(pkg.type, 'module')
  assert.equal(pkg.main, './dist/index.js')
  assert.equal(pkg.exports['.'].default, './dist/index.js')
  assert.equal(pkg.napi.binaryName, 'package-template', "napi-rs's settings stay")
  assert.equal(pkg.scripts.test, 'ava', 'the test command stays')
  assert.match(fs.readFileSync(path.join(dir, 'index.js'), 'utf8'), /^export \* from '\.\/dist\/index\.js'$/m, "napi-rs's loader re-exports rusty's package")

  await installProject(dir)
  const built = await rusty(['develop'], { cwd: dir })
  assert.equal(built.exitCode, 0, built.all)
  assert.doesNotMatch(built.all, /bench\.ts|error TS/, 'only the wrapper is type-checked')
  assert.match(built.stderr, /without catch_unwind: a panic there aborts Node\. Use #\[napi\(catch_unwind\)\] on plus_100 \(src\/lib\.rs:\d+\)/)
  assert.equal(await runNode(dir, `import { plus100 } from 'rusty-e2e-napi-template'; console.log(JSON.stringify(plus100(42)))`), 142)
  // CommonJS consumers: Node >= 20.19 require()s the ES module (no top-level await on the way).
  const required = await execa(process.execPath, ['-e', `console.log(require('rusty-e2e-napi-template').plus100(1))`], { cwd: dir, reject: false, all: true })
  assert.equal(required.stdout.trim(), '101', required.all)
  assert.match(await projectTest(dir), /1 test passed/)
})

test("init turns rustwasm's wasm-pack-template into a rusty package with only wasm-bindgen added", async () => {
  const dir = copyFixture('wasm-pack-template')
  const result = await rusty(['init', '--backend', 'wasm', '--yes'], { cwd: dir })
  assert.equal(result.exitCode, 0, result.all)
  const manifest = fs.readFileSync(path.join(dir, 'Cargo.toml'), 'utf8')
  assert.doesNotMatch(manifest, /serde|wasm-bindgen-futures|js-sys/, 'nothing the crate does not use')
  assert.match(manifest, /^wasm-bindgen = "0\.2\.84"$/m, 'its own wasm-bindgen requirement stays')
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).rusty, { backend: 'wasm', crate: '.' })

  await installProject(dir)
  const built = await rusty(['develop'], { cwd: dir, env: toolchain })
  assert.equal(built.exitCode, 0, built.all)
  // Its greet() calls the browser's alert(); Node has none, so the check supplies one.
  const alerted = await runNode(
    dir,
    `const seen = []; globalThis.alert = (m) => seen.push(m)
     const { greet } = await import('rusty-e2e-wasm-pack'); greet(); console.log(JSON.stringify(seen))`,
  )
  assert.deepEqual(alerted, ['Hello, rusty-e2e-wasm-pack!'])
  assert.match(await projectTest(dir, toolchain), /^# pass 1$/m)
})

test('init beside a workspace-root Cargo.toml adds rust/ and leaves the workspace manifest alone', async () => {
  const dir = tempDir()
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'rusty-e2e-init-ws', type: 'module' }))
  const workspace = '[workspace]\nmembers = ["crates/*"]\n'
  fs.writeFileSync(path.join(dir, 'Cargo.toml'), workspace)
  const result = await rusty(['init', '--backend', 'wasm', '--yes'], { cwd: dir })
  assert.equal(result.exitCode, 0, result.all)
  assert.equal(fs.readFileSync(path.join(dir, 'Cargo.toml'), 'utf8'), workspace)
  assert.ok(fs.existsSync(path.join(dir, 'rust', 'Cargo.toml')))
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).rusty, { backend: 'wasm', crate: 'rust' })
})

test('init refuses a CommonJS package that uses require, and a folder with neither manifest, changing nothing', async () => {
  const cjs = tempDir()
  fs.writeFileSync(path.join(cjs, 'package.json'), JSON.stringify({ name: 'old-style' }))
  fs.writeFileSync(path.join(cjs, 'index.js'), "module.exports = require('./other.js')\n")
  const refused = await rusty(['init', '--yes'], { cwd: cjs })
  assert.equal(refused.exitCode, 2, refused.all)
  assert.match(refused.stderr, /is a CommonJS package and index\.js uses require\/module\.exports; rusty packages are ES modules/)
  assert.match(refused.stderr, /^hint: Rename those files to \.cjs/m)
  assert.deepEqual(listFiles(cjs), ['index.js', 'package.json'])

  const empty = tempDir()
  const nothing = await rusty(['init', '--yes'], { cwd: empty })
  assert.equal(nothing.exitCode, 2, nothing.all)
  assert.match(nothing.stderr, /neither a package\.json nor a Cargo\.toml/)
  assert.deepEqual(listFiles(empty), [])
})

test('init refuses a malformed package.json or Cargo.toml, and a file where it puts a folder, writing nothing; a package.json with a BOM is read', async () => {
  const refusals: { files: Record<string, string>; error: RegExp; hint: RegExp }[] = [
    { files: { 'package.json': '{"name": "broken",' }, error: /^error: Cannot read \S+\/package\.json: .*JSON/m, hint: /^hint: Fix the JSON of \S+\/package\.json/m },
    { files: { 'package.json': '[1, 2]' }, error: /^error: \S+\/package\.json does not hold a JSON object\.$/m, hint: /.?/ },
    {
      files: { 'Cargo.toml': '[package]\nname = "bad-toml\nversion = "0.1.0"\n' },
      error: /^error: Cannot read \S+\/Cargo\.toml: Invalid TOML document/m,
      hint: /^hint: Fix \S+\/Cargo\.toml/m,
    },
    {
      files: { 'package.json': JSON.stringify({ name: 'bad-cargo', type: 'module' }), 'Cargo.toml': '[package\n' },
      error: /^error: Cannot read \S+\/Cargo\.toml: Invalid TOML document/m,
      hint: /^hint: Fix \S+\/Cargo\.toml/m,
    },
    {
      files: { 'package.json': JSON.stringify({ name: 'file-in-the-way', type: 'module' }), test: 'my notes\n', rust: 'more notes\n' },
      error: /^error: Cannot init \S+: rust, test are files, where rusty puts a folder; nothing was written\.$/m,
      hint: /^hint: Rename or move rust, test, then run rusty init again\.$/m,
    },
  ]
  for (const { files, error, hint } of refusals) {
    const dir = tempDir()
    for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text)
    const result = await rusty(['init', '--backend', 'koffi', '--yes'], { cwd: dir })
    assert.equal(result.exitCode, 1, result.all)
    assert.match(result.stderr, error)
    assert.match(result.stderr, hint)
    assert.doesNotMatch(result.stderr, /This is a bug/)
    // The TOML error's own report (line, column, the line itself) is the error's cause, printed under it.
    if ('Cargo.toml' in files) assert.match(result.stderr, /^error: .*\n  Caused by: Invalid TOML document: .*\n(    .*\n)*    \d+: +\[?\w/m)
    assert.deepEqual(listFiles(dir), Object.keys(files).sort(), 'nothing was written')
    for (const [file, text] of Object.entries(files)) assert.equal(fs.readFileSync(path.join(dir, file), 'utf8'), text)
  }

  const bom = tempDir()
  fs.writeFileSync(path.join(bom, 'package.json'), `\uFEFF${JSON.stringify({ name: 'rusty-e2e-bom', version: '2.0.0', type: 'module' })}`)
  const accepted = await rusty(['init', '--backend', 'koffi', '--yes'], { cwd: bom })
  assert.equal(accepted.exitCode, 0, accepted.all)
  const pkg = JSON.parse(fs.readFileSync(path.join(bom, 'package.json'), 'utf8'))
  assert.deepEqual([pkg.name, pkg.version, pkg.rusty], ['rusty-e2e-bom', '2.0.0', { backend: 'koffi', crate: 'rust' }])
})
