// `rusty new` through the built CLI: what it writes, and what it refuses.
// No cargo here; the napi e2e test builds a generated project.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { execa } from 'execa'
import { cliPath, listFiles, pathWithOnlyNode, rusty, tempDir, testEnv } from '../helpers.js'
import { NODE_FLOOR, nodeBin } from '../runtimes.js'

test('new --yes writes a complete napi project', async () => {
  const cwd = tempDir()
  const result = await rusty(['new', 'my-lib', '--yes', '--no-git', '--no-install', '--description', 'say "hi" {{x}} ✓'], { cwd })
  assert.equal(result.exitCode, 0, result.all)
  const dir = path.join(cwd, 'my-lib')
  assert.deepEqual(listFiles(dir), [
    '.github/workflows/rusty.yml',
    '.gitignore',
    'README.md',
    'package.json',
    'rust/Cargo.toml',
    'rust/build.rs',
    'rust/src/lib.rs',
    'rust/src/panics.rs',
    'src/index.ts',
    'test/index.test.mjs',
    'tsconfig.json',
  ])
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))
  assert.equal(pkg.name, 'my-lib')
  assert.equal(pkg.description, 'say "hi" {{x}} ✓')
  assert.deepEqual(pkg.rusty, { backend: 'napi', crate: 'rust' })
  assert.match(pkg.devDependencies['rusty-cli'], /^\^\d+\.\d+\.\d+/)
  assert.deepEqual(Object.keys(pkg.devDependencies), ['@napi-rs/cli', 'rusty-cli', 'typescript'])
  assert.match(pkg.scripts.test, /^rusty develop && /)
  assert.match(fs.readFileSync(path.join(dir, 'rust/Cargo.toml'), 'utf8'), /description = "say \\"hi\\" \{\{x\}\} ✓"/)
})

test('new runs git init unless --no-git', async () => {
  const cwd = tempDir()
  const result = await rusty(['new', 'with-git', '--yes', '--no-install'], { cwd })
  assert.equal(result.exitCode, 0, result.all)
  assert.ok(fs.existsSync(path.join(cwd, 'with-git', '.git')))
})

test('a folder name with spaces works; --name sets the package name', async () => {
  const cwd = tempDir()
  const result = await rusty(['new', 'my folder', '--name', '@scope/spaced', '--yes', '--no-git', '--no-install'], { cwd })
  assert.equal(result.exitCode, 0, result.all)
  const pkg = JSON.parse(fs.readFileSync(path.join(cwd, 'my folder', 'package.json'), 'utf8'))
  assert.equal(pkg.name, '@scope/spaced')
  assert.match(fs.readFileSync(path.join(cwd, 'my folder', 'rust/Cargo.toml'), 'utf8'), /name = "spaced"/)
})

test('--dry-run lists the files and writes nothing', async () => {
  const cwd = tempDir()
  const result = await rusty(['new', 'dry', '--yes', '--dry-run'], { cwd })
  assert.equal(result.exitCode, 0, result.all)
  assert.match(result.stdout, /Would create .*dry with:/)
  assert.match(result.stdout, /rust\/src\/lib\.rs/)
  assert.deepEqual(fs.readdirSync(cwd), [])
})

for (const name of ['Upper', '../x', 'a/b', 'test', 'self', 'crate', '1abc', 'x'.repeat(70), '']) {
  test(`new refuses the name ${JSON.stringify(name.slice(0, 12))} and writes nothing`, async () => {
    const cwd = tempDir()
    const result = await rusty(['new', 'target-dir', '--name', name, '--yes'], { cwd })
    assert.equal(result.exitCode, 2, result.all)
    assert.match(result.stderr, /^error: Invalid project name /m)
    assert.deepEqual(fs.readdirSync(cwd), [], 'nothing was written')
  })
}

test('new refuses a non-empty folder and leaves it unchanged', async () => {
  const cwd = tempDir()
  fs.mkdirSync(path.join(cwd, 'taken'))
  fs.writeFileSync(path.join(cwd, 'taken', 'keep.txt'), 'mine')
  const result = await rusty(['new', 'taken', '--yes'], { cwd })
  assert.equal(result.exitCode, 2, result.all)
  assert.match(result.stderr, /^error: Cannot create the project in .*taken: the folder is not empty/m)
  assert.deepEqual(listFiles(path.join(cwd, 'taken')), ['keep.txt'])
  assert.deepEqual(fs.readdirSync(cwd), ['taken'])
})

test('new refuses a path that is a file', async () => {
  const cwd = tempDir()
  fs.writeFileSync(path.join(cwd, 'file'), 'x')
  const result = await rusty(['new', 'file', '--yes'], { cwd })
  assert.equal(result.exitCode, 2, result.all)
  assert.match(result.stderr, /a file with that name exists/)
})

test('new writes through a link to an empty folder, and refuses a dangling link writing nothing', async () => {
  const cwd = tempDir()
  fs.mkdirSync(path.join(cwd, 'real'))
  fs.symlinkSync('real', path.join(cwd, 'linked'))
  const result = await rusty(['new', 'linked', '--backend', 'koffi', '--yes', '--no-git', '--no-install'], { cwd })
  assert.equal(result.exitCode, 0, result.all)
  assert.ok(fs.lstatSync(path.join(cwd, 'linked')).isSymbolicLink(), 'the link stays')
  assert.equal(JSON.parse(fs.readFileSync(path.join(cwd, 'real', 'package.json'), 'utf8')).name, 'linked')
  assert.ok(listFiles(path.join(cwd, 'real')).includes('rust/Cargo.toml'))
  assert.deepEqual(fs.readdirSync(cwd).sort(), ['linked', 'real'], 'no staging folder left')

  fs.symlinkSync('missing', path.join(cwd, 'dangling'))
  const refused = await rusty(['new', 'dangling', '--yes', '--no-git', '--no-install'], { cwd })
  assert.equal(refused.exitCode, 2, refused.all)
  assert.match(refused.stderr, /^error: Cannot create the project in \S+\/dangling: it is a symbolic link to missing, which does not exist\.$/m)
  assert.match(refused.stderr, /^hint: Create the folder it points to \(mkdir -p \S+\/missing\), or remove the link/m)
  assert.deepEqual(fs.readdirSync(cwd).sort(), ['dangling', 'linked', 'real'])
})

test('without a TTY and without a folder, new fails at once instead of prompting', async () => {
  const cwd = tempDir()
  const result = await rusty(['new'], { cwd })
  assert.equal(result.exitCode, 2, result.all)
  assert.match(result.stderr, /^error: rusty new needs the folder to create/m)
  assert.deepEqual(fs.readdirSync(cwd), [])
})

for (const backend of ['koffi', 'wasm']) {
  test(`new --backend ${backend} writes that backend's crate and wrapper`, async () => {
    const cwd = tempDir()
    const result = await rusty(['new', `my-${backend}`, '--backend', backend, '--yes', '--no-git', '--no-install'], { cwd })
    assert.equal(result.exitCode, 0, result.all)
    const dir = path.join(cwd, `my-${backend}`)
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))
    assert.deepEqual(pkg.rusty, { backend, crate: 'rust' })
    assert.ok(listFiles(dir).includes('rust/src/lib.rs'))
    assert.ok(listFiles(dir).includes('src/index.ts'))
    // The backend's build (and release) tools are the project's devDependencies.
    assert.deepEqual(Object.keys(pkg.devDependencies), backend === 'wasm' ? ['binaryen', 'rusty-cli', 'typescript'] : ['@napi-rs/cross-toolchain', 'rusty-cli', 'typescript'])

    // Not installed yet: develop stops before cargo with one line naming what is missing.
    const develop = await rusty(['develop'], { cwd: dir })
    assert.equal(develop.exitCode, 1, develop.all)
    const missing = backend === 'wasm' ? 'binaryen, typescript are' : 'typescript is'
    assert.equal(develop.stderr.trim().split('\n').filter((line) => /^(error|hint):/.test(line)).join('\n'), `error: ${missing} not installed in ${dir}; this project builds with ${backend === 'wasm' ? 'them' : 'it'}.\nhint: run npm i`)
    assert.doesNotMatch(develop.all, /Compiling|at .*\.js:\d+/)
  })
}

test('an unknown backend in package.json is refused by develop', async () => {
  const cwd = tempDir()
  fs.writeFileSync(path.join(cwd, 'package.json'), JSON.stringify({ name: 'x', rusty: { backend: 'cffi', crate: '.' } }))
  const result = await rusty(['develop'], { cwd })
  assert.equal(result.exitCode, 1, result.all)
  assert.match(result.stderr, /"backend" must be one of napi, koffi, wasm \(found "cffi"\)/)
})

test('develop outside a project names the problem', async () => {
  const cwd = tempDir()
  const result = await rusty(['develop'], { cwd })
  assert.equal(result.exitCode, 1, result.all)
  assert.match(result.stderr, /^error: Not inside a rusty project/m)
})

test('develop with a broken "rusty" block names the file', async () => {
  const cwd = tempDir()
  fs.writeFileSync(path.join(cwd, 'package.json'), JSON.stringify({ name: 'x', rusty: { backend: 'cobol', crate: 'rust' } }))
  const result = await rusty(['develop'], { cwd })
  assert.equal(result.exitCode, 1, result.all)
  assert.match(result.stderr, /^error: Invalid "rusty" block in .*package\.json: "backend" must be one of napi, koffi, wasm/m)
})

test('doctor lists every tool with a fix for what is missing', async () => {
  const cwd = tempDir()
  // On the lowest Node rusty supports: a Node outside `engines` is itself a ✖.
  const node = path.join(await nodeBin(NODE_FLOOR), 'node')
  const result = await execa(node, [cliPath, 'doctor'], { cwd, env: testEnv(), stdin: 'ignore', reject: false, all: true })
  assert.equal(result.exitCode, 0, result.all)
  assert.match(result.stdout, new RegExp(`^✔ node: v${NODE_FLOOR.replace(/\./g, '\\.')}$`, 'm'))
  for (const name of ['node', 'npm', 'cargo', 'rustc', 'wasm32-unknown-unknown target', 'wasm-bindgen CLI', 'koffi']) {
    assert.match(result.stdout, new RegExp(`^[✔▲✖] ${name}`, 'm'), `doctor checks ${name}`)
  }
  assert.match(result.stdout, /^▲ koffi \(koffi backend\): not installed in .*\n {4}fix: npm i koffi/m)
})

test('doctor fails, with the install hint, when cargo is missing', async () => {
  const cwd = tempDir()
  const result = await rusty(['doctor'], { cwd, env: { PATH: pathWithOnlyNode(), CARGO: undefined, RUSTC: undefined } })
  assert.equal(result.exitCode, 1, result.all)
  assert.match(result.stdout, /^✖ cargo: not found on PATH\n {4}fix: Install Rust with rustup/m)
})

test('new --no-ci leaves the workflow out; ci github writes it, never overwrites an edit, and --stdout prints it', async () => {
  const cwd = tempDir()
  assert.equal((await rusty(['new', 'no-ci', '--yes', '--no-git', '--no-ci', '--no-install'], { cwd })).exitCode, 0)
  const dir = path.join(cwd, 'no-ci')
  const file = path.join(dir, '.github', 'workflows', 'rusty.yml')
  assert.ok(!fs.existsSync(file))

  const printed = await rusty(['ci', 'github', '--stdout'], { cwd: dir })
  assert.equal(printed.exitCode, 0, printed.all)
  assert.ok(!fs.existsSync(file), '--stdout writes nothing')
  const { parse } = await import('yaml')
  assert.deepEqual(Object.keys((parse(printed.stdout) as { jobs: object }).jobs), ['build', 'test', 'publish'])

  const written = await rusty(['ci', 'github'], { cwd: dir })
  assert.equal(written.exitCode, 0, written.all)
  assert.equal(fs.readFileSync(file, 'utf8').trimEnd(), printed.stdout.trimEnd())
  assert.equal((await rusty(['ci', 'github'], { cwd: dir })).exitCode, 0, 'the same content again is fine')

  fs.appendFileSync(file, '# my edit\n')
  const refused = await rusty(['ci', 'github'], { cwd: dir })
  assert.equal(refused.exitCode, 2, refused.all)
  assert.match(refused.stderr, /exists and differs from what rusty would write; it was left unchanged/)
  assert.match(fs.readFileSync(file, 'utf8'), /# my edit/)
})
