// The koffi path end to end with real cargo: `rusty new --backend koffi` ->
// the generated project's own `npm test` -> every pattern through the
// generated bindings -> memory, panics, unsupported declarations, --into.
import { before, test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { execa } from 'execa'
import { assertProjectTestsPass, cliPath, installProject, repoRoot, rusty, runNode, tempDir, testEnv } from '../helpers.js'
import { assertKillsLeaveWorkingBuild, assertTypeScriptErrorKeepsBuild, type FaultSubject } from '../transaction-faults.js'

// A fixed crate name keeps cargo's cache in the shared target dir warm across runs.
const name = 'rusty-e2e-koffi'
const cwd = tempDir()
const project = path.join(cwd, name)
const lib = path.join(project, 'rust', 'src', 'lib.rs')

const checkCalls = `
  import * as lib from ${JSON.stringify(name)}
  const values = new Float64Array([1, 2, 3])
  const scaledSum = lib.scaleInPlace(values, 2)
  const counter = new lib.Counter(10)
  counter.step = 5
  const increment = counter.increment()
  counter[Symbol.dispose]()
  const caught = (f) => { try { f(); return null } catch (e) { return { message: e.message, code: e.code ?? null } } }
  console.log(JSON.stringify({
    add: lib.add(2, 3),
    fib10: lib.fibonacci(10),
    fib90: String(lib.fibonacci(90)),
    isEven: lib.isEven(7),
    hypotenuse: lib.hypotenuse(3, 4),
    chars: lib.countChars('héllo 🦀'),
    greet: lib.greet('Ferris'),
    notAString: caught(() => lib.greet(42)),
    scaled: { sum: scaledSum, values: [...values] },
    midpoint: lib.midpoint({ x: 0, y: 0 }, { x: 4, y: 2 }),
    invoice: lib.priceOrder({ items: [{ name: 'tea', unit_price: 2.5, quantity: 2 }], discount_percent: 10 }),
    badOrder: caught(() => lib.priceOrder({ items: 'nope' })),
    counter: { increment, disposed: counter.disposed, useAfterDispose: caught(() => counter.increment()) },
    divide: lib.checkedDivide(7, 2),
    divideByZero: caught(() => lib.checkedDivide(1, 0)),
    panic: caught(() => lib.explode('boom')),
    aliveAfterPanic: lib.add(1, 1),
  }))
`
const expected = {
  add: 5,
  fib10: 55,
  fib90: '2880067194370816120',
  isEven: false,
  hypotenuse: 5,
  chars: 7,
  greet: 'Hello, Ferris! (from Rust)',
  notAString: { message: 'name must be a string', code: null },
  scaled: { sum: 12, values: [2, 4, 6] },
  midpoint: { x: 2, y: 1 },
  invoice: { lines: ['tea x2 = 5.00'], subtotal: 5, total: 4.5 },
  badOrder: { message: 'invalid order: invalid type: string "nope", expected a sequence at line 1 column 15', code: null },
  counter: { increment: 15, disposed: true, useAfterDispose: { message: 'This Counter was disposed and cannot be used any more', code: null } },
  divide: 3,
  divideByZero: { message: 'cannot divide 1 by 0', code: null },
  panic: { message: 'Rust panicked: boom', code: 'RUST_PANIC' },
  aliveAfterPanic: 2,
}

before(async () => {
  const created = await rusty(['new', name, '--backend', 'koffi', '--yes', '--no-git', '--no-install'], { cwd })
  assert.equal(created.exitCode, 0, created.all)
  await installProject(project)
})

test("the generated project's own npm test passes", async () => {
  await assertProjectTestsPass(project, 7, { RUST_BACKTRACE: '0' })
  const typings = fs.readFileSync(path.join(project, 'native', 'index.d.ts'), 'utf8')
  assert.match(typings, /export declare class Counter implements Disposable/)
})

test('every pattern answers as expected through the generated bindings', async () => {
  assert.deepEqual(await runNode(project, checkCalls), expected)
})

test('with nothing changed, develop rewrites nothing; a deleted library or edited bindings are made again', async () => {
  const library = path.join(project, 'native', `lib${name.replace(/-/g, '_')}.${process.platform === 'darwin' ? 'dylib' : 'so'}`)
  const bindings = path.join(project, 'native', 'index.js')
  // The project's npm test ran its installed rusty-cli, whose loader template
  // is another file: the first develop from this checkout stamps its own.
  assert.equal((await rusty(['develop'], { cwd: project })).exitCode, 0)
  const mtimes = [fs.statSync(library).mtimeMs, fs.statSync(bindings).mtimeMs]
  const again = await rusty(['develop'], { cwd: project })
  assert.equal(again.exitCode, 0, again.all)
  assert.match(again.stderr, /koffi bindings up to date/)
  assert.match(again.stderr, /Up to date: /)
  assert.deepEqual([fs.statSync(library).mtimeMs, fs.statSync(bindings).mtimeMs], mtimes)

  fs.rmSync(library)
  const text = fs.readFileSync(bindings, 'utf8')
  fs.appendFileSync(bindings, '// edited\n')
  const repaired = await rusty(['develop'], { cwd: project })
  assert.equal(repaired.exitCode, 0, repaired.all)
  assert.match(repaired.stderr, /Generated the koffi bindings/)
  assert.ok(fs.existsSync(library))
  assert.equal(fs.readFileSync(bindings, 'utf8'), text)
  assert.deepEqual(await runNode(project, checkCalls), expected)

  // A runtime file the bindings import (templates/runtime/ffi.js) is part of the stamp too.
  const helpers = path.join(project, 'native', 'ffi.js')
  fs.rmSync(helpers)
  const restored = await rusty(['develop'], { cwd: project })
  assert.equal(restored.exitCode, 0, restored.all)
  assert.match(restored.stderr, /Generated the koffi bindings/)
  assert.equal(fs.readFileSync(helpers, 'utf8'), fs.readFileSync(path.join(repoRoot, 'templates', 'runtime', 'ffi.js'), 'utf8'))
  assert.deepEqual(await runNode(project, checkCalls), expected)
})

test('C-ABI Rust as tutorials write it: each shape right, in one extra build', async () => {
  const source = fs.readFileSync(lib, 'utf8')
  fs.writeFileSync(lib, source + fs.readFileSync(path.join(repoRoot, 'test/fixtures/koffi/shapes.rs'), 'utf8'))
  try {
    const result = await rusty(['develop'], { cwd: project })
    assert.equal(result.exitCode, 0, result.all)
    const typings = fs.readFileSync(path.join(project, 'native', 'index.d.ts'), 'utf8')
    assert.match(typings, /\/\*\* The largest batch\. \*\/\nexport declare const MAX_BATCH: number/)
    assert.match(typings, /export declare function scale\(p: Float64Array, k: number\): number/)
    assert.match(typings, /export declare function fill\(out: Float64Array\): void/)
    const shapes = await runNode(
      project,
      `
      import * as lib from ${JSON.stringify(name)}
      const caught = (f) => { try { f(); return null } catch (e) { return { name: e.name, message: e.message } } }
      const values = new Float64Array([1, 2, 3])
      const sum = lib.scale(values, 2)
      const list = new BigInt64Array([1n, -2n, 3n])
      lib.doubleAll(list)
      lib.doubleAll(new BigInt64Array(0))
      const point = { x: 1, y: 2 }
      lib.translate(point, 1, 1)
      const filled = new Float64Array(3)
      lib.fill(filled)
      const options = new lib.ParserOptions()
      options.strict = true
      const parser = new lib.Parser(options.strict)
      const started = Date.now()
      let ticks = 0
      const timer = setInterval(() => ticks++, 5)
      const busy = await lib.busyAsync(200)
      clearInterval(timer)
      console.log(JSON.stringify({
        handleFd: lib.handleFd({ fd: 7 }),
        error: lib.Error,
        errorCode: lib.errorCode(lib.Error.Denied),
        badEnum: caught(() => lib.errorCode(3)),
        failure: lib.failure(41),
        consts: [lib.MAX_BATCH, lib.NEGATIVE],
        flip: [lib.flip(lib.Level.Low), lib.flip(200)],
        scaled: { sum, values: [...values] },
        emptyScale: lib.scale(new Float64Array(0), 2),
        sumI32: [lib.sumI32(new Int32Array([1, 2, 3])), lib.sumI32(new Int32Array(0))],
        cTypes: lib.cTypes(-1, 2, 3),
        echo: [lib.echoInt(-5), caught(() => lib.echoInt(2 ** 40)), caught(() => lib.echoInt(2.7))],
        doubled: [...list].map(String),
        structPointers: { translated: point, norm: lib.norm({ x: 3, y: 4 }), notAnObject: caught(() => lib.norm(null)) },
        filled: [...filled],
        fillEmpty: lib.fill(new Float64Array(0)) ?? null,
        parser: [options.strict, parser.count('a b c'), parser.count('')],
        async: { busy, ticksWhileBusy: ticks > 5, elapsed: Date.now() - started >= 200, hypotenuse: await lib.hypotenuseAsync(3, 4) },
      }))
      `,
    )
    assert.deepEqual(shapes, {
      handleFd: 7,
      error: { NotFound: 1, Denied: 2 },
      errorCode: 200,
      badEnum: { name: 'RangeError', message: 'error must be a Error (one of 1, 2), got 3' },
      failure: 42,
      consts: [64, -16],
      flip: [200, 1],
      scaled: { sum: 12, values: [2, 4, 6] },
      emptyScale: 0,
      sumI32: [6, 0],
      cTypes: 4,
      echo: [
        -5,
        { name: 'RangeError', message: 'x must be an integer from -2147483648 to 2147483647 (int32_t), got 1099511627776' },
        { name: 'RangeError', message: 'x must be an integer from -2147483648 to 2147483647 (int32_t), got 2.7' },
      ],
      doubled: ['2', '-4', '6'],
      structPointers: { translated: { x: 2, y: 3 }, norm: 5, notAnObject: { name: 'TypeError', message: 'p must be an object (Point)' } },
      filled: [0.5, 1.5, 2.5],
      fillEmpty: null,
      parser: [true, 3, -1],
      async: { busy: 200, ticksWhileBusy: true, elapsed: true, hypotenuse: 5 },
    })
  } finally {
    fs.writeFileSync(lib, source)
  }
})

test('the shapes of published C APIs: arrays in structs both ways, objects of another class, factories, a failing constructor', async () => {
  const source = fs.readFileSync(lib, 'utf8')
  fs.writeFileSync(lib, source + fs.readFileSync(path.join(repoRoot, 'test/fixtures/koffi/published-shapes.rs'), 'utf8'))
  try {
    const result = await rusty(['develop'], { cwd: project })
    assert.equal(result.exitCode, 0, result.all)
    const typings = fs.readFileSync(path.join(project, 'native', 'index.d.ts'), 'utf8')
    assert.match(typings, /export interface Row \{\n {2}\/\*\* 9 elements\. \*\/\n {2}_0: Uint8Array\n\}/)
    assert.match(typings, /weights: Float64Array\n.*\n {2}corners: Point\[\]/)
    assert.match(typings, /export declare function firstCell\(cells: Uint8Array\): number/)
    assert.match(typings, /export declare function printInt\(cIntPtr: number\): number/)
    assert.match(typings, /export declare function spanOf\(text: string, word: string\): Span/)
    assert.match(typings, /export declare function ringOfOne\(value: number \| bigint\): Ring/)
    assert.match(typings, /pushCounter\(counter: Counter\): void/)
    const calls = await runNode(
      project,
      `
      import * as lib from ${JSON.stringify(name)}
      const caught = (f) => { try { f(); return null } catch (e) { return { name: e.name, message: e.message } } }
      const row = lib.rowFilled()
      const reversed = lib.rowReversed(row)
      const shape = lib.shapeExample()
      const value = new Uint32Array([41])
      lib.bump(value)
      const ring = new lib.Ring(2)
      const counter = new lib.Counter(10)
      ring.pushCounter(counter)
      counter.increment()
      ring.pushCounter(counter)
      counter.increment()
      ring.pushCounter(counter)
      const one = lib.ringOfOne(7)
      const disposed = new lib.Counter(1)
      disposed.dispose()
      console.log(JSON.stringify({
        row: { isTyped: row._0 instanceof Uint8Array, cells: [...row._0], reversed: [...reversed._0], sum: lib.rowSum(reversed) },
        shortRow: caught(() => lib.rowSum({ _0: new Uint8Array(8) })),
        plainArrayRow: caught(() => lib.rowSum({ _0: [1, 2, 3, 4, 5, 6, 7, 8, 9] })),
        firstCell: lib.firstCell(new Uint8Array([5, 0, 0, 0, 0, 0, 0, 0, 0])),
        firstCellShort: caught(() => lib.firstCell(new Uint8Array(3))),
        shape: { weights: [...shape.weights], corners: shape.corners, score: lib.shapeScore(shape) },
        printInt: lib.printInt(21),
        bumped: value[0],
        span: lib.spanOf('hello world', 'world'),
        spanMissing: caught(() => lib.spanOf('hello', 'xyz')),
        ring: { total: ring.total(), oneTotal: one.total(), isRing: one instanceof lib.Ring },
        failingConstructor: caught(() => new lib.Ring(0)),
        notACounter: caught(() => ring.pushCounter(one)),
        disposedCounter: caught(() => ring.pushCounter(disposed)),
      }))
      `,
    )
    assert.deepEqual(calls, {
      row: { isTyped: true, cells: [1, 2, 3, 4, 5, 6, 7, 8, 9], reversed: [9, 8, 7, 6, 5, 4, 3, 2, 1], sum: 45 },
      shortRow: { name: 'RangeError', message: 'row._0 must have 9 elements, got 8' },
      plainArrayRow: { name: 'TypeError', message: 'row._0 must be a Uint8Array of 9 elements, got object' },
      firstCell: 5,
      firstCellShort: { name: 'TypeError', message: 'cells must be a Uint8Array of length 9' },
      shape: { weights: [0.5, 1, 1.5], corners: [{ x: 0, y: 0 }, { x: 2, y: 3 }], score: 5 },
      printInt: 42,
      bumped: 42,
      span: { start: 6, end: 11 },
      spanMissing: { name: 'Error', message: '"xyz" is not in "hello"' },
      ring: { total: 23, oneTotal: 7, isRing: true },
      failingConstructor: { name: 'Error', message: 'a ring needs a capacity of at least 1' },
      notACounter: { name: 'TypeError', message: 'counter must be a Counter' },
      disposedCounter: { name: 'Error', message: 'This Counter was disposed and cannot be used any more' },
    })
  } finally {
    fs.writeFileSync(lib, source)
  }
})

test('1,000,000 string round trips leak nothing (RSS growth under 5 MiB)', async () => {
  const { stdout } = await execa(
    process.execPath,
    [
      '--expose-gc',
      '--input-type=module',
      '-e',
      `
      import { greet } from ${JSON.stringify(name)}
      const roundTrips = (n) => { let length = 0; for (let i = 0; i < n; i++) length += greet('x' + (i % 100)).length; return length }
      roundTrips(100_000)
      globalThis.gc()
      const before = process.memoryUsage().rss
      roundTrips(1_000_000)
      globalThis.gc()
      console.log(JSON.stringify({ growth: process.memoryUsage().rss - before }))
      `,
    ],
    { cwd: project },
  )
  const { growth } = JSON.parse(stdout) as { growth: number }
  assert.ok(growth < 5 * 1024 * 1024, `RSS grew by ${(growth / 1024 / 1024).toFixed(2)} MiB`)
})

test('develop --into links the package into an app', async () => {
  const app = path.join(cwd, 'app')
  fs.mkdirSync(app)
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }))
  const result = await rusty(['develop', '--into', app], { cwd: project })
  assert.equal(result.exitCode, 0, result.all)
  assert.deepEqual(await runNode(app, checkCalls), expected)
})

test('unsupported declarations are one error naming each, and the previous bindings stay', async () => {
  const source = fs.readFileSync(lib, 'utf8')
  const bindings = fs.readFileSync(path.join(project, 'native', 'index.js'), 'utf8')
  const unsupported = `
#[no_mangle]
pub extern "C" fn on_event(callback: extern "C" fn(i32)) {
  callback(1)
}

/// Frees a string, the way C tutorials do it.
///
/// # Safety
/// From CString::into_raw.
#[no_mangle]
pub unsafe extern "C" fn free_mem(c: *mut c_char) {
  // SAFETY: see above.
  drop(unsafe { CString::from_raw(c) });
}

#[repr(C)]
pub struct Marker {}
`
  fs.writeFileSync(lib, `${source}\n${unsupported}`)
  try {
    const result = await rusty(['develop'], { cwd: project })
    assert.equal(result.exitCode, 1, result.all)
    assert.match(result.stderr, /^error: Cannot generate koffi bindings for 2 Rust items of rusty-e2e-koffi:$/m)
    assert.match(result.stderr, /^ {2}- `on_event`: function pointers \(callbacks\) are not supported .*; callbacks have no binding/m)
    assert.match(result.stderr, /^ {2}- `free_mem`: it looks like a function that frees a string .*rusty_string_free.*do not export it/m)
    assert.match(result.stderr, /README, "The koffi backend's conventions"/)
    assert.equal(fs.readFileSync(path.join(project, 'native', 'index.js'), 'utf8'), bindings)
    assert.deepEqual(await runNode(project, checkCalls), expected)
  } finally {
    fs.writeFileSync(lib, source)
  }
})

test('a compile error keeps the previous build', async () => {
  const source = fs.readFileSync(lib, 'utf8')
  const artifact = fs.readdirSync(path.join(project, 'native')).find((f) => /\.(so|dylib|dll)$/.test(f))!
  const before = fs.readFileSync(path.join(project, 'native', artifact))
  fs.writeFileSync(lib, `${source}\n#[no_mangle]\npub extern "C" fn broken() -> i32 { "text" }\n`)
  try {
    const result = await rusty(['develop'], { cwd: project })
    assert.equal(result.exitCode, 1, result.all)
    assert.match(result.all, /error\[E0308\]: mismatched types/)
    assert.match(result.stderr, /^error: cargo build failed \(exit code 101\)/m)
    assert.ok(fs.readFileSync(path.join(project, 'native', artifact)).equals(before))
    assert.deepEqual(await runNode(project, checkCalls), expected)
  } finally {
    fs.writeFileSync(lib, source)
  }
})

test('a Node process with the old library loaded keeps running while develop replaces it', async () => {
  const stop = path.join(cwd, 'stop-running-process')
  const running = execa(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `
      import fs from 'node:fs'
      import { greet } from ${JSON.stringify(name)}
      let calls = 0
      console.log('ready')
      const deadline = Date.now() + 120_000
      while (!fs.existsSync(${JSON.stringify(stop)}) && Date.now() < deadline) {
        if (greet('old') !== 'Hello, old! (from Rust)') throw new Error('the loaded library changed under us')
        calls++
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
      console.log(JSON.stringify({ calls }))
      `,
    ],
    { cwd: project, reject: false, buffer: true },
  )
  await new Promise<void>((resolve) => running.stdout!.once('data', () => resolve()))
  const source = fs.readFileSync(lib, 'utf8')
  fs.writeFileSync(lib, source.replace('format!("Hello, {name}! (from Rust)")', 'format!("New, {name}!")'))
  try {
    const result = await rusty(['develop'], { cwd: project })
    assert.equal(result.exitCode, 0, result.all)
    assert.equal(await runNode(project, `import { greet } from '${name}'; console.log(JSON.stringify(greet('x')))`), 'New, x!')
  } finally {
    fs.writeFileSync(stop, '')
    fs.writeFileSync(lib, source)
  }
  const finished = await running
  assert.equal(finished.exitCode, 0, `${finished.stdout}\n${finished.stderr}`)
  assert.ok(JSON.parse(String(finished.stdout).split('\n').at(-1)!).calls > 0)
  assert.equal((await rusty(['develop'], { cwd: project })).exitCode, 0)
})

test('Ctrl-C during develop stops cargo, releases the lock and keeps the previous build', async () => {
  const source = fs.readFileSync(lib, 'utf8')
  const artifact = fs.readdirSync(path.join(project, 'native')).find((f) => /\.(so|dylib|dll)$/.test(f))!
  const before = fs.readFileSync(path.join(project, 'native', artifact))
  // A constant that takes rustc seconds to evaluate keeps cargo busy while the signal arrives.
  const slow = `
#[allow(long_running_const_eval)]
const SLOW_TO_COMPILE: u64 = {
  let mut i = 0u64;
  let mut x = 0u64;
  while i < 2_000_000 {
    x = x.wrapping_add(i);
    i += 1;
  }
  x
};

#[no_mangle]
pub extern "C" fn slow_constant() -> u64 {
  SLOW_TO_COMPILE
}
`
  fs.writeFileSync(lib, `${source}\n${slow}`)
  try {
    // Its own process group, so the signal reaches rusty and cargo together, as Ctrl-C in a terminal does.
    const child = execa(process.execPath, [cliPath, 'develop'], { cwd: project, env: testEnv(), detached: true, reject: false, all: true })
    let seen = ''
    await new Promise<void>((resolve, reject) => {
      child.stderr!.on('data', (chunk: Buffer) => {
        seen += chunk.toString()
        if (seen.includes(`Compiling ${name}`)) resolve()
      })
      child.stderr!.once('end', () => reject(new Error(`cargo never started compiling:\n${seen}`)))
    })
    process.kill(-child.pid!, 'SIGINT')
    const result = await child
    assert.equal(result.exitCode, 130, result.all)
    assert.match(result.stderr, /^error: Build cancelled; cargo was stopped and the previous build is unchanged\.$/m)
    assert.ok(fs.readFileSync(path.join(project, 'native', artifact)).equals(before))
    assert.deepEqual(await runNode(project, checkCalls), expected)
    const cargo = await execa('ps', ['-eo', 'args'])
    assert.ok(!cargo.stdout.split('\n').some((line) => line.includes('cargo build') && line.includes(project)), 'no cargo left running')
  } finally {
    fs.writeFileSync(lib, source)
  }
  // The lock was released: the next build runs at once.
  const next = await rusty(['develop'], { cwd: project })
  assert.equal(next.exitCode, 0, next.all)
  assert.doesNotMatch(next.stderr, /waiting/)
})

test('develop --watch rebuilds on a Rust change, survives a compile error, and stops on Ctrl-C', async () => {
  const source = fs.readFileSync(lib, 'utf8')
  const watcher = execa(process.execPath, [cliPath, 'develop', '--watch'], { cwd: project, env: testEnv(), detached: true, reject: false, all: true })
  let output = ''
  watcher.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  const waitFor = async (pattern: RegExp, from: number) => {
    for (let i = 0; i < 600; i++) {
      if (pattern.test(output.slice(from))) return
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    throw new Error(`timed out waiting for ${pattern}:\n${output}`)
  }
  const greet = () => runNode(project, `import { greet } from '${name}'; console.log(JSON.stringify(greet('w')))`)
  try {
    await waitFor(/Watching for changes/, 0)

    let mark = output.length
    fs.writeFileSync(lib, source.replace('format!("Hello, {name}! (from Rust)")', 'format!("Watched, {name}!")'))
    await waitFor(/Built rusty-e2e-koffi[\s\S]*Watching for changes/, mark)
    assert.equal(await greet(), 'Watched, w!')

    mark = output.length
    fs.writeFileSync(lib, `${source}\nfn broken() -> i32 { "text" }\n`)
    await waitFor(/Build failed; the last good build stays in place[\s\S]*Watching for changes/, mark)
    assert.equal(await greet(), 'Watched, w!')

    mark = output.length
    fs.writeFileSync(lib, source)
    await waitFor(/Built rusty-e2e-koffi[\s\S]*Watching for changes/, mark)
    assert.equal(await greet(), 'Hello, w! (from Rust)')
  } finally {
    fs.writeFileSync(lib, source)
    process.kill(-watcher.pid!, 'SIGINT')
  }
  const result = await watcher
  assert.equal(result.exitCode, 0, result.all)
  assert.match(result.stderr, /Stopped watching/)
})

// The build transaction (test/transaction-faults.ts): about 25 s.
const faults: FaultSubject = {
  project,
  bindingImport: '../native/index.js',
  exportFn: (fn, value) => `#[no_mangle]\npub extern "C" fn ${fn}() -> i32 {\n    ${value}\n}`,
}

test('a TypeScript error after a Rust API change keeps the previous build importable', async () => {
  await assertTypeScriptErrorKeepsBuild(faults)
})

test('a develop killed while cargo runs, after it, while staging or during the commit leaves a package that imports, and no temporary file', async () => {
  await assertKillsLeaveWorkingBuild(faults, ['cargo', 'built', 'staging', 'commit'])
})
