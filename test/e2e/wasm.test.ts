// The wasm path end to end with real cargo and the real wasm-bindgen CLI:
// `rusty new --backend wasm` -> the project's own `npm test` (Node) -> every
// pattern from Node -> a release build through wasm-opt -> the same package
// in headless Chromium -> the missing-target and broken-CLI errors.
//
// Toolchain: RUSTY_WASM_TOOLCHAIN (set by .ci/run from
// ../shared/tools/ensure-wasm32-target.sh) names a rustup toolchain that has
// wasm32-unknown-unknown; unset, the default toolchain must have it.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { execa } from 'execa'
import { assertProjectTestsPass, installProject, rusty, runNode, tempDir } from '../helpers.js'
import { assertKillsLeaveWorkingBuild, assertTypeScriptErrorKeepsBuild, type FaultSubject } from '../transaction-faults.js'

const toolchain = process.env.RUSTY_WASM_TOOLCHAIN ? { RUSTUP_TOOLCHAIN: process.env.RUSTY_WASM_TOOLCHAIN } : {}
// The toolchain ../shared/tools/ensure-wasm32-target.sh builds has a wasm32
// standard library without embedded LLVM bitcode, so LTO (on in the
// template's release profile) cannot link against it; release builds there turn it off.
const noLto = process.env.RUSTY_WASM_TOOLCHAIN ? ['--', '--config', 'profile.release.lto=false'] : []
const name = 'rusty-e2e-wasm'
const cwd = tempDir()
const project = path.join(cwd, name)

const checkCalls = `
  import * as lib from ${JSON.stringify(name)}
  const counter = new lib.Counter(10)
  counter.step = 5
  const values = new Float64Array([1, 2, 3])
  const scaledSum = lib.scaleInPlace(values, 2)
  const caught = (f) => { try { f(); return null } catch (e) { return { isError: e instanceof Error, message: e.message } } }
  console.log(JSON.stringify({
    add: lib.add(2, 3),
    greet: lib.greet('Ferris'),
    error: caught(() => lib.parsePort('eighty')),
    scaled: { sum: scaledSum, values: [...values] },
    async: await lib.sumAsync(new Float64Array([1, 2, 3.5])),
    invoice: lib.priceOrder({ items: [{ name: 'tea', unit_price: 2.5, quantity: 2 }], discount_percent: 10 }),
    counter: { step: counter.step, increment: counter.increment(), value: counter.value, text: String(counter) },
    distance: lib.distance({ x: 0, y: 0 }, { x: 3, y: 4 }),
    panic: (() => { try { lib.divide(1, 0) } catch (e) { return { isError: e instanceof Error, message: e.message, code: e.code } } })(),
    afterPanic: lib.add(1, 1),
    withoutNew: caught(() => lib.Counter(1)),
    inspect: (await import('node:util')).inspect(new lib.Counter(7)),
  }))
`
const expected = {
  add: 5,
  greet: 'Hello, Ferris! (from Rust)',
  error: { isError: true, message: 'not a port number: "eighty" (invalid digit found in string)' },
  scaled: { sum: 12, values: [2, 4, 6] },
  async: 6.5,
  invoice: { lines: ['tea x2 = 5.00'], subtotal: 5, total: 4.5 },
  counter: { step: 5, increment: 15, value: 15, text: 'Counter(15)' },
  distance: 5,
  panic: { isError: true, message: 'attempt to divide by zero', code: 'RUST_PANIC' },
  afterPanic: 2,
  withoutNew: { isError: true, message: "Class constructor Counter cannot be invoked without 'new'" },
  inspect: 'Counter(7)',
}

before(async () => {
  const created = await rusty(['new', name, '--backend', 'wasm', '--yes', '--no-git', '--no-install'], { cwd })
  assert.equal(created.exitCode, 0, created.all)
  await installProject(project)
})

test("the generated project's own npm test passes in Node", async () => {
  await assertProjectTestsPass(project, 7, toolchain)
})

test('every pattern answers as expected in Node', async () => {
  assert.deepEqual(await runNode(project, checkCalls), expected)
})

test('log! prints, an async panic rejects its Promise with RUST_PANIC, snake_case functions get camelCase names, snake_case methods a warning', async () => {
  const lib = path.join(project, 'rust', 'src', 'lib.rs')
  const source = fs.readFileSync(lib, 'utf8')
  fs.writeFileSync(
    lib,
    `${source}\n#[wasm_bindgen]\npub async fn panic_later(message: String) -> u32 {\n  panic!("{message}")\n}\n\n#[wasm_bindgen]\npub fn say_hello() -> String {\n  println!("stdout does not exist here");\n  "hello".into()\n}\n\n#[wasm_bindgen]\nimpl Counter {\n  pub fn step_by(&mut self, n: i32) -> i32 {\n    self.value += n;\n    self.value\n  }\n}\n`,
  )
  try {
    const result = await rusty(['develop'], { cwd: project, env: toolchain })
    assert.equal(result.exitCode, 0, result.all)
    assert.match(result.stderr, /1 method would be snake_case in JavaScript; rusty's rule is camelCase\. Add step_by \(src\/lib\.rs:\d+\): js_name = stepBy\./)
    const run = await execa(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import * as lib from '${name}'
         lib.logGreeting('console')
         const error = await lib.panicLater('async boom').then(() => null, (e) => ({ isError: e instanceof Error, message: e.message, code: e.code }))
         console.log(JSON.stringify({ error, after: await lib.sumAsync(new Float64Array([1, 2])), camel: lib.sayHello(), same: lib.sayHello === lib.say_hello }))`,
      ],
      { cwd: project, reject: false },
    )
    assert.equal(run.exitCode, 0, run.stderr)
    const [logged, json] = run.stdout.split('\n')
    assert.equal(logged, 'Hello, console! (from Rust)', 'log! printed to stdout')
    assert.deepEqual(JSON.parse(json!), { error: { isError: true, message: 'async boom', code: 'RUST_PANIC' }, after: 3, camel: 'hello', same: true })
    assert.match(run.stderr, /panicked at src\/lib\.rs:\d+:\d+:\nasync boom/, 'the panic hook printed the panic')
    assert.doesNotMatch(run.stdout, /stdout does not exist here/)
    assert.match(fs.readFileSync(path.join(project, 'native', 'index.d.ts'), 'utf8'), /export \{ say_hello as sayHello \}/)
  } finally {
    fs.writeFileSync(lib, source)
  }
})

test('a release build runs wasm-opt and still works', async () => {
  const wasm = path.join(project, 'native', 'web', 'index_bg.wasm')
  const debugSize = fs.statSync(wasm).size
  const result = await rusty(['develop', '--release', ...noLto], { cwd: project, env: toolchain })
  assert.equal(result.exitCode, 0, result.all)
  assert.match(result.stderr, /wasm-opt -O/)
  assert.ok(fs.statSync(wasm).size < debugSize, 'the optimised module is smaller than the debug one')
  assert.deepEqual(await runNode(project, checkCalls), expected)
})

test('with nothing changed, develop skips wasm-bindgen and wasm-opt; a deleted glue file is made again', async () => {
  const again = await rusty(['develop', '--release', ...noLto], { cwd: project, env: toolchain })
  assert.equal(again.exitCode, 0, again.all)
  assert.match(again.stderr, /wasm binding up to date/)
  assert.doesNotMatch(again.stderr, /Generating the JavaScript glue|wasm-opt/)
  assert.match(again.stderr, /Up to date: /)

  fs.rmSync(path.join(project, 'native', 'web', 'index.js'))
  const repaired = await rusty(['develop', '--release', ...noLto], { cwd: project, env: toolchain })
  assert.equal(repaired.exitCode, 0, repaired.all)
  assert.match(repaired.stderr, /Generated the wasm binding .*wasm-opt -O/)
  assert.deepEqual(await runNode(project, checkCalls), expected)
})

test('the same package works in a browser (headless Chromium)', async () => {
  const { chromium } = await import('playwright-core')
  fs.writeFileSync(
    path.join(project, 'browser-test.html'),
    `<!doctype html>
<script type="importmap">{ "imports": { "#native": "/native/browser.js" } }</script>
<script type="module">
  const lib = await import('/dist/index.js')
  const counter = new lib.Counter(1)
  counter.step = 2
  let panic
  try { lib.divide(1, 0) } catch (e) { panic = { message: e.message, code: e.code } }
  document.body.dataset.result = JSON.stringify({ add: lib.add(20, 22), greet: lib.greet('browser'), increment: counter.increment(), panic })
</script>`,
  )
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' }
  const server = http.createServer((req, res) => {
    const file = path.join(project, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname))
    if (!file.startsWith(project) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' })
    fs.createReadStream(file).pipe(res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  // Fail at once (instead of hanging on the open server) when there is no browser.
  server.unref()
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  assert.ok(fs.existsSync(executablePath), `no Chromium at ${executablePath}: install Debian's chromium package (.ci/run does) or set CHROMIUM_PATH`)
  const browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  try {
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/browser-test.html`)
    // Runs in the page, where `document` exists.
    const handle = await page.waitForFunction(() => (globalThis as unknown as { document: { body?: { dataset: Record<string, string> } } }).document.body?.dataset.result, undefined, { timeout: 20_000 }).catch(() => undefined)
    assert.ok(handle, `the page computed a result (page errors: ${errors.join('; ') || 'none'})`)
    assert.deepEqual(JSON.parse(String(await handle.jsonValue())), { add: 42, greet: 'Hello, browser! (from Rust)', increment: 3, panic: { message: 'attempt to divide by zero', code: 'RUST_PANIC' } })
  } finally {
    await browser.close()
    server.close()
  }
})

test('a toolchain without the wasm32 target gives one clear error with the fix', async () => {
  const noWasm = await linkToolchainWithoutWasm()
  const result = await rusty(['develop'], { cwd: project, env: { RUSTUP_TOOLCHAIN: noWasm } })
  assert.equal(result.exitCode, 1, result.all)
  assert.match(result.stderr, /^error: The Rust toolchain \(rustc .*\) cannot build for wasm32-unknown-unknown/m)
  assert.match(result.stderr, /^hint: Run `rustup target add wasm32-unknown-unknown`/m)
})

test('an unusable wasm-bindgen CLI gives a clear error and keeps the previous build', async () => {
  const cache = tempDir()
  const lock = fs.readFileSync(path.join(project, 'rust', 'Cargo.lock'), 'utf8')
  const version = /name = "wasm-bindgen"\nversion = "([^"]+)"/.exec(lock)![1]!
  const bin = path.join(cache, 'wasm-bindgen', version, 'bin', 'wasm-bindgen')
  fs.mkdirSync(path.dirname(bin), { recursive: true })
  fs.writeFileSync(bin, '#!/bin/sh\necho "this CLI is broken" >&2\nexit 3\n', { mode: 0o755 })
  const before = fs.readFileSync(path.join(project, 'native', 'web', 'index_bg.wasm'))
  // Without its stamp the binding must be made again (as after a change to the crate), so the CLI is needed.
  fs.rmSync(path.join(project, '.rusty', 'wasm-stamp.json'))
  const result = await rusty(['develop'], { cwd: project, env: { ...toolchain, RUSTY_CACHE_DIR: cache } })
  assert.equal(result.exitCode, 1, result.all)
  assert.match(result.stderr, /^error: The cached wasm-bindgen CLI \(.*\) does not run as version /m)
  assert.ok(fs.readFileSync(path.join(project, 'native', 'web', 'index_bg.wasm')).equals(before))
})

test('a wasm-bindgen CLI that cannot be installed gives a clear error with the fix and keeps the previous build', async () => {
  // cargo as usual, except that `cargo install` fails the way an offline registry makes it fail.
  const realCargo = (await execa('which', ['cargo'])).stdout.trim()
  const fakeCargo = path.join(tempDir(), 'cargo')
  fs.writeFileSync(
    fakeCargo,
    `#!/bin/sh\nif [ "$1" = install ]; then echo "error: failed to query replaced source registry \\\`crates-io\\\`" >&2; exit 101; fi\nexec ${JSON.stringify(realCargo)} "$@"\n`,
    { mode: 0o755 },
  )
  const before = fs.readFileSync(path.join(project, 'native', 'web', 'index_bg.wasm'))
  fs.rmSync(path.join(project, '.rusty', 'wasm-stamp.json'), { force: true })
  const result = await rusty(['develop'], { cwd: project, env: { ...toolchain, CARGO: fakeCargo, RUSTY_CACHE_DIR: tempDir() } })
  assert.equal(result.exitCode, 1, result.all)
  assert.match(result.stderr, /failed to query replaced source registry/)
  assert.match(result.stderr, /^error: Could not install wasm-bindgen-cli \S+ with cargo \(exit code 101\); cargo's last lines are above\.$/m)
  assert.match(result.stderr, /^hint: Install it yourself with `cargo install wasm-bindgen-cli --version =\S+` and make sure it is on PATH\.$/m)
  assert.ok(fs.readFileSync(path.join(project, 'native', 'web', 'index_bg.wasm')).equals(before))
})

test('--wasm-target nodejs: Node uses wasm-bindgen\'s Node glue; the browser entry says what to do', async () => {
  const result = await rusty(['develop', '--wasm-target', 'nodejs'], { cwd: project, env: toolchain })
  assert.equal(result.exitCode, 0, result.all)
  assert.match(result.stderr, /--target experimental-nodejs-module/)
  assert.ok(fs.existsSync(path.join(project, 'native', 'nodejs', 'index_bg.wasm')))
  assert.ok(!fs.existsSync(path.join(project, 'native', 'web')), "the universal target's glue is gone")
  assert.deepEqual(await runNode(project, checkCalls), expected)
  await assert.rejects(runNode(project, `await import('./native/browser.js')`), /built with wasmTarget "nodejs", which does not run in browsers/)
})

test('--wasm-target bundler: glue that imports the .wasm as a module (Node runs it with --experimental-wasm-modules)', async () => {
  const result = await rusty(['develop', '--wasm-target', 'bundler'], { cwd: project, env: toolchain })
  assert.equal(result.exitCode, 0, result.all)
  assert.match(fs.readFileSync(path.join(project, 'native', 'bundler', 'index.js'), 'utf8'), /^import \* as wasm from "\.\/index_bg\.wasm";$/m)
  assert.deepEqual(await runNode(project, checkCalls, ['--experimental-wasm-modules', '--no-warnings']), expected)
})

test('"rusty".wasmTarget in package.json picks the target; web makes the Node entry say what to do', async () => {
  const pkgFile = path.join(project, 'package.json')
  const original = fs.readFileSync(pkgFile, 'utf8')
  try {
    const pkg = JSON.parse(original)
    fs.writeFileSync(pkgFile, JSON.stringify({ ...pkg, rusty: { ...pkg.rusty, wasmTarget: 'web' } }, null, 2))
    const result = await rusty(['develop'], { cwd: project, env: toolchain })
    assert.equal(result.exitCode, 0, result.all)
    assert.match(result.stderr, /--target web/)
    await assert.rejects(runNode(project, checkCalls), /built with wasmTarget "web", which does not run in Node\.js; build it with wasmTarget "universal" or "nodejs"/)

    fs.writeFileSync(pkgFile, JSON.stringify({ ...pkg, rusty: { ...pkg.rusty, wasmTarget: 'deno' } }, null, 2))
    const bad = await rusty(['develop'], { cwd: project, env: toolchain })
    assert.equal(bad.exitCode, 2, bad.all)
    assert.match(bad.stderr, /^error: Unknown "rusty"\.wasmTarget in .*package\.json "deno": use one of universal, nodejs, web, bundler\.$/m)
  } finally {
    fs.writeFileSync(pkgFile, original)
  }
  // Back to the default: one package for Node and browsers.
  const back = await rusty(['develop'], { cwd: project, env: toolchain })
  assert.equal(back.exitCode, 0, back.all)
  assert.deepEqual(await runNode(project, checkCalls), expected)
  assert.deepEqual(fs.readdirSync(path.join(project, 'native')).sort(), ['browser.js', 'index.d.ts', 'node.js', 'panics.js', 'web'])
})

// A rustup toolchain made of the host's compiler with only the host's
// standard library: rustc finds its sysroot from its own location, so a copy
// of the binary in a folder without lib/rustlib/wasm32-unknown-unknown lacks
// the target, whatever the machine's real toolchains have.
const linkedToolchain = 'rusty-test-no-wasm'
async function linkToolchainWithoutWasm(): Promise<string> {
  const env = { ...process.env, RUSTUP_TOOLCHAIN: undefined }
  const sysroot = (await execa('rustc', ['--print', 'sysroot'], { env })).stdout.trim()
  const host = /host: (\S+)/.exec((await execa('rustc', ['-vV'], { env })).stdout)![1]!
  const dir = path.join(tempDir(), 'toolchain')
  fs.mkdirSync(path.join(dir, 'bin'), { recursive: true })
  fs.mkdirSync(path.join(dir, 'lib', 'rustlib'), { recursive: true })
  fs.copyFileSync(path.join(sysroot, 'bin', 'rustc'), path.join(dir, 'bin', 'rustc'))
  fs.chmodSync(path.join(dir, 'bin', 'rustc'), 0o755)
  fs.symlinkSync(path.join(sysroot, 'bin', 'cargo'), path.join(dir, 'bin', 'cargo'))
  for (const entry of fs.readdirSync(path.join(sysroot, 'lib'))) {
    if (entry !== 'rustlib') fs.symlinkSync(path.join(sysroot, 'lib', entry), path.join(dir, 'lib', entry))
  }
  fs.symlinkSync(path.join(sysroot, 'lib', 'rustlib', host), path.join(dir, 'lib', 'rustlib', host))
  await execa('rustup', ['toolchain', 'link', linkedToolchain, dir])
  return linkedToolchain
}

after(async () => {
  await execa('rustup', ['toolchain', 'uninstall', linkedToolchain], { reject: false })
})

// The build transaction (test/transaction-faults.ts); two kill points, wasm builds being the slowest.
const faults: FaultSubject = {
  project,
  bindingImport: '#native',
  exportFn: (fn, value) => `#[wasm_bindgen]\npub fn ${fn}() -> i32 {\n  ${value}\n}`,
  env: toolchain,
}

test('a TypeScript error after a Rust API change keeps the previous build importable', async () => {
  await assertTypeScriptErrorKeepsBuild(faults)
})

test('a develop killed while staging or during the commit leaves a package that imports, and no temporary file', async () => {
  await assertKillsLeaveWorkingBuild(faults, ['staging', 'commit'])
})
