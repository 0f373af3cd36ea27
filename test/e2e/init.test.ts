// `rusty init` from both starting points, each followed by a working develop.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { installProject, listFiles, rusty, runNode, tempDir } from '../helpers.js'

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

test('init refuses a CommonJS package and a folder with neither manifest, changing nothing', async () => {
  const cjs = tempDir()
  fs.writeFileSync(path.join(cjs, 'package.json'), JSON.stringify({ name: 'old-style' }))
  const refused = await rusty(['init', '--yes'], { cwd: cjs })
  assert.equal(refused.exitCode, 2, refused.all)
  assert.match(refused.stderr, /is a CommonJS package; rusty packages are ES modules/)
  assert.deepEqual(listFiles(cjs), ['package.json'])

  const empty = tempDir()
  const nothing = await rusty(['init', '--yes'], { cwd: empty })
  assert.equal(nothing.exitCode, 2, nothing.all)
  assert.match(nothing.stderr, /neither a package\.json nor a Cargo\.toml/)
  assert.deepEqual(listFiles(empty), [])
})
