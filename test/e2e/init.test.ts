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
  const original = { name: 'rusty-e2e-init-pkg', version: '1.2.0', type: 'module', main: './dist/index.js', scripts: { test: 'node --test test/', lint: 'true' }, files: ['dist'] }
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(original, null, 2))
  fs.writeFileSync(path.join(dir, 'README.md'), '# mine\n')
  // The package's own hand-written entry, where rusty compiles its wrapper.
  fs.mkdirSync(path.join(dir, 'dist'))
  fs.writeFileSync(path.join(dir, 'dist', 'index.js'), 'export const mine = 1\n')

  const result = await rusty(['init', '--backend', 'napi', '--yes'], { cwd: dir })
  assert.equal(result.exitCode, 0, result.all)
  assert.match(result.stderr, /Skipped \(already there, left unchanged\): README\.md/)
  assert.match(result.stderr, /dist\/index\.js is your own file and an entry point: rusty develop compiles src\/index\.ts to dist\/index\.js and will not replace your file/)
  assert.equal(fs.readFileSync(path.join(dir, 'README.md'), 'utf8'), '# mine\n')
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))
  assert.deepEqual(pkg.rusty, { backend: 'napi', crate: 'rust' })
  assert.equal(pkg.version, '1.2.0')
  assert.deepEqual(pkg.scripts, { develop: 'rusty develop', test: 'rusty develop && npm run test:only', 'test:only': 'node --test test/', lint: 'true' }, "the project's test command is test:only")
  assert.ok(!fs.existsSync(path.join(dir, 'test', 'index.test.mjs')), "no smoke test beside the project's own tests")
  assert.deepEqual(pkg.files, ['dist', 'native'])
  assert.deepEqual(Object.keys(pkg.devDependencies).sort(), ['@napi-rs/cli', 'rusty-cli', 'typescript'], 'init adds the build tools')
  for (const file of ['rust/Cargo.toml', 'rust/build.rs', 'rust/src/lib.rs', 'src/index.ts', 'tsconfig.json']) {
    assert.ok(listFiles(dir).includes(file), `${file} was added`)
  }

  await installProject(dir)
  const refused = await rusty(['develop'], { cwd: dir })
  assert.equal(refused.exitCode, 1, refused.all)
  assert.match(refused.stderr, /^error: rusty would overwrite dist\/index\.js, which rusty did not write/m)
  assert.equal(fs.readFileSync(path.join(dir, 'dist', 'index.js'), 'utf8'), 'export const mine = 1\n', 'the own file stays')
  fs.rmSync(path.join(dir, 'dist', 'index.js'))
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
  const cargo = '# my crate\n[package]\nname = "rusty-e2e-init-crate"\nversion = "0.3.0"\ndescription = "Doubles numbers"\nedition = "2021"\n\n[dependencies]\n'
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
  assert.deepEqual([pkg.version, pkg.description], ['0.3.0', 'Doubles numbers'], "the crate's version and description")
  assert.deepEqual(pkg.rusty, { backend: 'napi', crate: '.' })
  assert.ok(fs.existsSync(path.join(dir, 'build.rs')))

  // The user exports the function to JavaScript, as they would next.
  fs.writeFileSync(path.join(dir, 'src', 'lib.rs'), `use napi_derive::napi;\n\n#[napi]\n${lib}`)
  await installProject(dir)
  const built = await rusty(['develop'], { cwd: dir })
  assert.equal(built.exitCode, 0, built.all)
  assert.equal(await runNode(dir, `import { double } from 'rusty-e2e-init-crate'; console.log(JSON.stringify(double(21)))`), 42)
})

test("init turns a napi-rs v2 package (package-template made v2) into a rusty package: old tools upgraded, its scripts replaced, its own ava tests pass", async () => {
  const dir = copyFixture('napi-package-template')
  // As a napi-rs v2 project had it: a loader without the v2.16 header,
  // @napi-rs/cli 2 and its scripts, napi 2 crates, a .gitignore.
  fs.copyFileSync(path.join(repoRoot, 'test', 'fixtures', 'napi-rs-loaders', 'v2.cjs'), path.join(dir, 'index.js'))
  const v2 = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))
  v2.devDependencies['@napi-rs/cli'] = '^2.18.4'
  Object.assign(v2.scripts, { artifacts: 'napi artifacts', prepublishOnly: 'napi prepublish -t npm', version: 'napi version' })
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(v2, null, 2))
  const cargoV2 = fs.readFileSync(path.join(dir, 'Cargo.toml'), 'utf8').replace('napi        = "3.0.0"', 'napi        = { version = "2.16", default-features = true }').replace('napi-derive = "3.0.0"', 'napi-derive = "2.16"')
  fs.writeFileSync(path.join(dir, 'Cargo.toml'), cargoV2)
  fs.writeFileSync(path.join(dir, '.gitignore'), '/target\nnode_modules\n*.node\n')

  const before = listFiles(dir).map((file) => [file, fs.readFileSync(path.join(dir, file), 'utf8')])
  const asked = await rusty(['init', '--backend', 'napi'], { cwd: dir })
  assert.equal(asked.exitCode, 2, asked.all)
  assert.match(asked.stderr, /^error: rusty init needs to upgrade old tools rusty cannot build with: package\.json devDependencies @napi-rs\/cli "\^2\.18\.4" → "\^3\.\d+\.\d+"; Cargo\.toml \[dependencies\] napi "2\.16" → "3"; Cargo\.toml \[dependencies\] napi-derive "2\.16" → "3"\. Nothing was written\.$/m)
  assert.match(asked.stderr, /^hint: Run `rusty init --yes` to apply them/m)
  assert.deepEqual(listFiles(dir).map((file) => [file, fs.readFileSync(path.join(dir, file), 'utf8')]), before, 'nothing was written')

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
  assert.equal(pkg.scripts['test:only'], 'ava', 'the test command stays, as test:only')
  assert.equal(pkg.scripts.test, 'rusty develop && npm run test:only')
  assert.equal(pkg.scripts.build, 'rusty develop --release')
  assert.equal(pkg.scripts['build:debug'], 'rusty develop')
  for (const script of ['artifacts', 'prepublishOnly', 'version']) assert.equal(pkg.scripts[script], undefined, `napi-rs's ${script} script is gone`)
  assert.match(result.stderr, /Script "prepublishOnly": "napi prepublish -t npm" → removed \(rusty publish makes the platform packages; napi prepublish would fail or undo that\)$/m)
  assert.equal(pkg.devDependencies['@napi-rs/cli'], '^3.10.12')
  const manifest = fs.readFileSync(path.join(dir, 'Cargo.toml'), 'utf8')
  assert.match(manifest, /^napi {8}= \{ version = "3", default-features = true \}$/m, 'raised in place, its other keys kept')
  assert.match(manifest, /^napi-derive = "3"$/m)
  assert.match(manifest, /^# See more keys/m, 'comments stay')
  assert.equal(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8'), "/target\nnode_modules\n*.node\n\n# Added by rusty init: built by `rusty develop` / `rusty build`\ndist/\nnative/\n.rusty/\nartifacts/\n")
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
  // `npm test`: rusty develop (fresh: nothing to do), then the project's own ava tests.
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
  // Dotfiles, dot-folders and a bin script without an extension break under "type": "module" too.
  const cjsFiles = { '.eslintrc.js': 'module.exports = {}\n', '.mocharc.js': "module.exports = { spec: 'x' }\n", '.config/a.js': "require('a')\n", 'bin/old-style': "#!/usr/bin/env node\nrequire('../index.js')\n" }
  for (const [file, text] of Object.entries(cjsFiles)) {
    fs.mkdirSync(path.dirname(path.join(cjs, file)), { recursive: true })
    fs.writeFileSync(path.join(cjs, file), text)
  }
  const refused = await rusty(['init', '--yes'], { cwd: cjs })
  assert.equal(refused.exitCode, 2, refused.all)
  // .eslintrc.js and .mocharc.js are tool configs init renames to .cjs itself (once nothing else stops it).
  assert.match(refused.stderr, /is a CommonJS package and \.config\/a\.js, bin\/old-style, index\.js use require\/module\.exports; rusty packages are ES modules/)
  assert.match(refused.stderr, /^hint: Rename those files to \.cjs/m)
  assert.deepEqual(listFiles(cjs), [...Object.keys(cjsFiles), 'index.js', 'package.json'].sort())

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
