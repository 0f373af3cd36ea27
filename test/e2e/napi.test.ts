// The napi path end to end with real cargo: `rusty new` -> the generated
// project's own `npm test` (which runs `rusty develop`) -> import from Node,
// a no-op rebuild, `--into` another app, and a compile error that keeps the
// previous build.
import { before, test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { assertProjectTestsPass, installProject, pathWithOnlyNode, rusty, runNode, tempDir } from '../helpers.js'
import { assertKillsLeaveWorkingBuild, assertTypeScriptErrorKeepsBuild, type FaultSubject } from '../transaction-faults.js'

// A fixed crate name keeps cargo's cache in the shared target dir warm across runs.
const name = 'rusty-e2e-napi'
// A space in the path: no value may ever reach a shell.
const cwd = path.join(tempDir(), 'dir with space')
fs.mkdirSync(cwd)
const project = path.join(cwd, name)
const artifact = path.join(project, 'native', `${name.replace(/-/g, '_')}.${process.platform}-${process.arch}${process.platform === 'linux' ? '-gnu' : ''}.node`)

// What `rusty develop` prints on its three napi paths (src/backends/napi/index.ts).
const FAST_NOOP = /napi binding up to date/
const FAST_LIBRARY = /Rebuilt \S+\.node \(typings and loader unchanged\)/
const FULL = /with cargo \(napi-rs, dev profile\)/

const checkCalls = `
  import * as lib from ${JSON.stringify(name)}
  const counter = new lib.Counter(10)
  const before = counter.value
  counter.step = 5
  const values = new Float64Array([1, 2, 3])
  const scaledSum = lib.scaleInPlace(values, 2)
  let error
  try { lib.parsePort('eighty') } catch (e) { error = { isError: e instanceof Error, message: e.message, code: e.code } }
  const caught = (f) => { try { f(); return null } catch (e) { return { type: e.constructor.name, message: e.message, code: e.code } } }
  const { inspect } = await import('node:util')
  console.log(JSON.stringify({
    add: lib.add(2, 3),
    greet: lib.greet('Ferris'),
    counter: { before, step: counter.step, increment: counter.increment(), text: String(counter) },
    error,
    async: await lib.sumAsync([1, 2, 3.5]),
    promise: lib.sumAsync([]) instanceof Promise,
    midpoint: lib.midpoint({ x: 0, y: 0 }, { x: 4, y: 2 }),
    scaled: { sum: scaledSum, values: [...values] },
    distance: lib.distance({ x: 0, y: 0 }, { x: 3, y: 4 }),
    panic: caught(() => lib.divide(1, 0)),
    withoutNew: caught(() => lib.Counter(1)),
    inspect: inspect(new lib.Counter(7)),
    instanceOf: new lib.Counter(1) instanceof lib.Counter,
  }))
`
const expected = {
  add: 5,
  greet: 'Hello, Ferris! (from Rust)',
  counter: { before: 10, step: 5, increment: 15, text: 'Counter(15)' },
  error: { isError: true, message: 'not a port number: "eighty" (invalid digit found in string)', code: 'InvalidArg' },
  async: 6.5,
  promise: true,
  midpoint: { x: 2, y: 1 },
  scaled: { sum: 12, values: [2, 4, 6] },
  distance: 5,
  panic: { type: 'Error', message: 'attempt to divide by zero', code: 'RUST_PANIC' },
  withoutNew: { type: 'TypeError', message: "Class constructor Counter cannot be invoked without 'new'" },
  inspect: 'Counter(7)',
  instanceOf: true,
}

before(async () => {
  const created = await rusty(['new', name, '--backend', 'napi', '--yes', '--no-git', '--no-install'], { cwd })
  assert.equal(created.exitCode, 0, created.all)
  await installProject(project)
})

test("the generated project's own npm test passes (it runs rusty develop first)", async () => {
  await assertProjectTestsPass(project, 7)
  assert.ok(fs.existsSync(artifact), `${artifact} exists`)
  assert.ok(fs.existsSync(path.join(project, 'native', 'index.d.ts')), 'napi-rs wrote the typings')
  const typings = fs.readFileSync(path.join(project, 'dist', 'index.d.ts'), 'utf8')
  assert.match(typings, /export \* from '\.\.\/native\/index\.js'/)
  assert.match(fs.readFileSync(path.join(project, 'native', 'index.d.ts'), 'utf8'), /export interface Point/)
})

test('the package imports in place and every pattern answers as expected', async () => {
  assert.deepEqual(await runNode(project, checkCalls), expected)
  const viaDist = await runNode(project, `const m = await import('./dist/index.js'); console.log(JSON.stringify(m.add(40, 2)))`)
  assert.equal(viaDist, 42)
})

test('a second develop with nothing changed rewrites nothing', async () => {
  const mtime = fs.statSync(artifact).mtimeMs
  const distMtime = fs.statSync(path.join(project, 'dist', 'index.js')).mtimeMs
  const result = await rusty(['develop'], { cwd: project })
  assert.equal(result.exitCode, 0, result.all)
  assert.match(result.stderr, /Up to date: rusty-e2e-napi/)
  assert.match(result.stderr, /TypeScript wrapper up to date/)
  assert.match(result.stderr, FAST_NOOP, 'the fast path: cargo alone, without napi-rs')
  assert.doesNotMatch(result.stderr, FULL)
  assert.equal(fs.statSync(artifact).mtimeMs, mtime)
  assert.equal(fs.statSync(path.join(project, 'dist', 'index.js')).mtimeMs, distMtime)
})

test('a deleted .node or an edited typings file in native/ is restored', async () => {
  fs.rmSync(artifact)
  const relinked = await rusty(['develop'], { cwd: project })
  assert.equal(relinked.exitCode, 0, relinked.all)
  assert.match(relinked.stderr, FAST_LIBRARY, 'only the .node was missing: installed from cargo without napi-rs')
  assert.ok(fs.existsSync(artifact))

  const dts = path.join(project, 'native', 'index.d.ts')
  const typings = fs.readFileSync(dts, 'utf8')
  fs.appendFileSync(dts, '\nexport declare function edited(): void\n')
  const regenerated = await rusty(['develop'], { cwd: project })
  assert.equal(regenerated.exitCode, 0, regenerated.all)
  assert.match(regenerated.stderr, FULL, 'an edited typings file takes napi-rs')
  assert.equal(fs.readFileSync(dts, 'utf8'), typings)
  assert.deepEqual(await runNode(project, checkCalls), expected)
})

test('after an edit to Cargo.toml, or with other features, the fast path is not taken', async () => {
  const manifest = path.join(project, 'rust', 'Cargo.toml')
  const source = fs.readFileSync(manifest, 'utf8')
  fs.writeFileSync(manifest, source.replace('\n[dependencies]', '\n[features]\nextra = []\n\n[dependencies]'))
  try {
    const edited = await rusty(['develop'], { cwd: project })
    assert.equal(edited.exitCode, 0, edited.all)
    assert.match(edited.stderr, FULL)
    const again = await rusty(['develop'], { cwd: project })
    assert.match(again.stderr, FAST_NOOP, 'nothing changed since: fast again')
    const featured = await rusty(['develop', '--features', 'extra'], { cwd: project })
    assert.equal(featured.exitCode, 0, featured.all)
    assert.match(featured.stderr, FULL)
    assert.doesNotMatch(featured.stderr, FAST_NOOP)
  } finally {
    fs.writeFileSync(manifest, source)
  }
  const restored = await rusty(['develop'], { cwd: project })
  assert.equal(restored.exitCode, 0, restored.all)
  assert.match(restored.stderr, FULL)
})

test('develop --into links the package into an app, from a folder below the root, repeatably', async () => {
  const app = path.join(cwd, 'app')
  fs.mkdirSync(app)
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }))
  for (let i = 0; i < 2; i++) {
    const result = await rusty(['develop', '--into', app], { cwd: path.join(project, 'rust', 'src') })
    assert.equal(result.exitCode, 0, result.all)
    assert.match(result.stderr, /Linked rusty-e2e-napi into /)
  }
  const link = path.join(app, 'node_modules', name)
  assert.ok(fs.lstatSync(link).isSymbolicLink())
  assert.equal(fs.realpathSync(link), fs.realpathSync(project))
  assert.deepEqual(await runNode(app, checkCalls), expected)
})

test('a compile error shows the diagnostics, exits non-zero and keeps the previous build', async () => {
  const lib = path.join(project, 'rust', 'src', 'lib.rs')
  const source = fs.readFileSync(lib, 'utf8')
  const before = fs.readFileSync(artifact)
  fs.writeFileSync(lib, `${source}\n#[napi]\npub fn broken() -> i32 { "not a number" }\n`)
  try {
    const result = await rusty(['develop'], { cwd: project })
    assert.equal(result.exitCode, 1, result.all)
    assert.match(result.all, /error\[E0308\]: mismatched types/)
    assert.match(result.stderr, /^error: cargo build failed \(exit code 101\); the compiler's messages are above\.$/m)
    assert.ok(fs.readFileSync(artifact).equals(before), 'the previous artifact is untouched')
    assert.deepEqual(await runNode(project, checkCalls), expected)
  } finally {
    fs.writeFileSync(lib, source)
  }
})

test('a change to the Rust code reaches Node after develop', async () => {
  const lib = path.join(project, 'rust', 'src', 'lib.rs')
  const source = fs.readFileSync(lib, 'utf8')
  fs.writeFileSync(lib, source.replace('format!("Hello, {name}! (from Rust)")', 'format!("Hi, {name}!")'))
  try {
    const result = await rusty(['develop'], { cwd: project })
    assert.equal(result.exitCode, 0, result.all)
    assert.match(result.stderr, /Built rusty-e2e-napi/)
    assert.match(result.stderr, FAST_LIBRARY, 'the exported API is the same: only the .node is new')
    assert.equal(await runNode(project, `import { greet } from '${name}'; console.log(JSON.stringify(greet('x')))`), 'Hi, x!')
  } finally {
    fs.writeFileSync(lib, source)
  }
})

test('a new exported function reaches the typings (napi-rs runs when the API changed)', async () => {
  const lib = path.join(project, 'rust', 'src', 'lib.rs')
  const source = fs.readFileSync(lib, 'utf8')
  fs.writeFileSync(lib, `${source}\n#[napi]\npub fn triple(x: i32) -> i32 {\n  x * 3\n}\n`)
  try {
    const result = await rusty(['develop'], { cwd: project })
    assert.equal(result.exitCode, 0, result.all)
    assert.match(result.stderr, FULL)
    assert.match(fs.readFileSync(path.join(project, 'native', 'index.d.ts'), 'utf8'), /export declare function triple\(x: number\): number/)
    assert.equal(await runNode(project, `import { triple } from './native/index.js'; console.log(JSON.stringify(triple(4)))`), 12)
  } finally {
    fs.writeFileSync(lib, source)
  }
  const restored = await rusty(['develop'], { cwd: project })
  assert.equal(restored.exitCode, 0, restored.all)
  assert.doesNotMatch(fs.readFileSync(path.join(project, 'native', 'index.d.ts'), 'utf8'), /triple/)
})

test('two develops at once take turns (a lock) and both succeed', async () => {
  const lib = path.join(project, 'rust', 'src', 'lib.rs')
  const source = fs.readFileSync(lib, 'utf8')
  fs.writeFileSync(lib, source.replace('format!("Hello, {name}! (from Rust)")', 'format!("Both, {name}!")'))
  try {
    const [a, b] = await Promise.all([rusty(['develop'], { cwd: project }), rusty(['develop'], { cwd: project })])
    assert.equal(a.exitCode, 0, a.all)
    assert.equal(b.exitCode, 0, b.all)
    assert.ok(/waiting for it to finish/.test(a.stderr) || /waiting for it to finish/.test(b.stderr), `one run waited:\n${a.all}\n${b.all}`)
    assert.equal(await runNode(project, `import { greet } from '${name}'; console.log(JSON.stringify(greet('x')))`), 'Both, x!')
  } finally {
    fs.writeFileSync(lib, source)
    assert.equal((await rusty(['develop'], { cwd: project })).exitCode, 0)
  }
})

test('a panic in an async fn rejects its Promise; develop warns about a sync export without catch_unwind', async () => {
  const lib = path.join(project, 'rust', 'src', 'lib.rs')
  const source = fs.readFileSync(lib, 'utf8')
  fs.writeFileSync(
    lib,
    `${source}\n#[napi]\npub async fn panic_later() -> u32 {\n  panic!(\"async boom\")\n}\n\n#[napi]\npub async fn panic_later_with(n: u32) -> u32 {\n  panic!(\"async boom {n}\")\n}\n\n#[napi]\npub fn unguarded() -> u32 {\n  1\n}\n`,
  )
  try {
    const result = await rusty(['develop'], { cwd: project })
    assert.equal(result.exitCode, 0, result.all)
    assert.match(result.stderr, /1 #\[napi\] function without catch_unwind: a panic there aborts Node\. Use #\[napi\(catch_unwind\)\] on unguarded \(src\/lib\.rs:\d+\)/)
    const outcome = await runNode(
      project,
      `import { panicLater, panicLaterWith } from '${name}'
       const caught = (e) => ({ isError: e instanceof Error, message: e.message, code: e.code })
       const error = await panicLater().then(() => null, caught)
       const formatted = await panicLaterWith(2).then(() => null, caught)
       console.log(JSON.stringify({ error, formatted, alive: true }))`,
    )
    // napi-rs keeps the text of a `panic!("literal")` only; the code is RUST_PANIC either way.
    assert.deepEqual(outcome, {
      error: { isError: true, message: 'async boom', code: 'RUST_PANIC' },
      formatted: { isError: true, message: 'Panic in async function', code: 'RUST_PANIC' },
      alive: true,
    })
  } finally {
    fs.writeFileSync(lib, source)
  }
})

test('without cargo on PATH, develop says how to install Rust', async () => {
  const result = await rusty(['develop'], { cwd: project, env: { PATH: pathWithOnlyNode(), CARGO: undefined } })
  assert.equal(result.exitCode, 1, result.all)
  assert.match(result.stderr, /^error: Cannot build the crate: cargo was not found on PATH\.$/m)
  assert.match(result.stderr, /^hint: Install Rust with rustup/m)
})

// The build transaction (test/transaction-faults.ts).
const faults: FaultSubject = {
  project,
  bindingImport: '../native/index.js',
  exportFn: (fn, value) => `#[napi]\npub fn ${fn}() -> i32 {\n  ${value}\n}`,
}

test('a TypeScript error after a Rust API change keeps the previous build importable', async () => {
  await assertTypeScriptErrorKeepsBuild(faults)
})

test('a develop killed while cargo runs, while staging or during the commit leaves a package that imports, and no temporary file', async () => {
  // Three points: each napi rebuild runs napi-rs, the slowest step of the three backends but wasm's.
  await assertKillsLeaveWorkingBuild(faults, ['cargo', 'staging', 'commit'])
})
