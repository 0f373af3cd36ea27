// The wasm backend's panic and naming layer: templates/runtime/panics.js run
// on fake glue (a RuntimeError thrown as a trap), the glue patch that routes
// futures through it, and the camelCase aliases.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { inspect } from 'node:util'
import { camelCaseAliases, entryExports, routeMicrotasks } from '../../src/backends/wasm/index.js'
import { snakeCaseMethods } from '../../src/backends/wasm/names.js'
// @ts-expect-error: a plain JavaScript runtime file shipped into packages, without typings
import { guardExports, queueTask } from '../../templates/runtime/panics.js'

const PANIC = Symbol.for('rusty.panic')
// WebAssembly's globals are not in the tests' lib settings; they exist in Node.
const RuntimeError = (globalThis as unknown as { WebAssembly: { RuntimeError: ErrorConstructor } }).WebAssembly.RuntimeError
/** What a panic looks like from JavaScript: the hook stored the message, then the module trapped. */
function trap(message: string): never {
  ;(globalThis as Record<symbol, unknown>)[PANIC] = message
  throw new RuntimeError('unreachable')
}

test('a trap after the panic hook is a thrown Error with the message and code RUST_PANIC', () => {
  const glue = { divide: (a: number, b: number) => (b === 0 ? trap('attempt to divide by zero') : a / b), other: () => trap2() }
  function trap2(): never {
    throw new RuntimeError('unreachable')
  }
  const out = guardExports(glue)
  assert.equal(out.divide(6, 3), 2)
  assert.throws(() => out.divide(1, 0), (e: Error & { code?: string }) => {
    assert.equal(e.message, 'attempt to divide by zero')
    assert.equal(e.code, 'RUST_PANIC')
    assert.ok(e.cause instanceof RuntimeError)
    return true
  })
  // Without a message from the hook (a crate without it), the trap is left as it is.
  assert.throws(() => out.other(), RuntimeError)
})

test('a trap in a queued task rejects the pending Promises of async exports', async () => {
  let settle: (() => void) | undefined
  const glue = { later: () => new Promise<void>((resolve) => (settle = resolve)) }
  const out = guardExports(glue)
  const pending = out.later()
  queueTask(() => trap('async boom'))
  await assert.rejects(pending, { message: 'async boom', code: 'RUST_PANIC' })
  settle?.()
  // Later calls still settle normally.
  const next = out.later()
  settle?.()
  assert.equal(await next, undefined)
})

test('classes keep their identity; methods are guarded; console.log shows toString', () => {
  class Counter {
    constructor(public value: number) {}
    boom(): number {
      return trap('method boom')
    }
    toString(): string {
      return `Counter(${this.value})`
    }
  }
  const out = guardExports({ Counter })
  assert.equal(out.Counter, Counter)
  const counter = new out.Counter(3)
  assert.equal(inspect(counter), 'Counter(3)')
  assert.throws(() => counter.boom(), { message: 'method boom', code: 'RUST_PANIC' })
})

test('camelCaseAliases: snake_case functions get their camelCase name once', () => {
  assert.deepEqual(camelCaseAliases(['say_hello', 'add', 'Counter', 'sumAsync', 'sum_async', '__wbg_x', 'to_x2_y']), [
    ['say_hello', 'sayHello'],
    ['to_x2_y', 'toX2Y'],
  ])
  assert.equal(
    entryExports('web', ['add', 'say_hello']),
    "import * as glue from './web/index.js'\nimport { guardExports } from './panics.js'\n\nexport const { add, say_hello, say_hello: sayHello } = guardExports(glue)\n",
  )
  assert.equal(entryExports('bundler', []), "export * from './bundler/index.js'\n")
})

test("routeMicrotasks sends wasm-bindgen's queueMicrotask import through queueTask", () => {
  const web = '        __wbg_queueMicrotask_4a1a4d8dd332373b: function(arg0) {\n            queueMicrotask(arg0);\n        },\n'
  const routed = routeMicrotasks(web)
  assert.match(routed, /^import \{ queueTask as __rustyQueueTask \} from '\.\.\/panics\.js'\n/)
  assert.match(routed, /function\(arg0\) \{\n\s+__rustyQueueTask\(arg0\);/)
  const bundler = 'export function __wbg_queueMicrotask_0123(arg0) {\n    queueMicrotask(arg0);\n}\n'
  assert.match(routeMicrotasks(bundler), /__rustyQueueTask\(arg0\);/)
  assert.equal(routeMicrotasks('export function add() {}\n'), 'export function add() {}\n')
})

test('snakeCaseMethods lists methods JavaScript would see in snake_case, with their camelCase name', () => {
  const source = [
    '#[wasm_bindgen]',
    'pub struct Counter { value: i32 }',
    '',
    '#[wasm_bindgen]',
    'impl Counter {',
    '  #[wasm_bindgen(constructor)]',
    '  pub fn new_counter() -> Counter { Counter { value: 0 } }',
    '  /// Adds.',
    '  pub fn step_by(&mut self, n: i32) { self.value += n }',
    '  #[wasm_bindgen(js_name = resetAll)]',
    '  pub fn reset_all(&mut self) { let s = "}"; }',
    '  #[wasm_bindgen(setter)]',
    '  pub fn set_step(&mut self, n: i32) {}',
    '  #[wasm_bindgen(getter)]',
    '  pub fn step_size(&self) -> i32 { 1 }',
    '  pub fn increment(&mut self) -> i32 { 1 }',
    '}',
    '',
    'impl Counter {',
    '  pub fn internal_only(&self) {}',
    '}',
    '#[wasm_bindgen]',
    'pub fn say_hello() {}',
  ].join('\n')
  assert.deepEqual(snakeCaseMethods(source), [
    { line: 9, name: 'step_by', camel: 'stepBy' },
    { line: 15, name: 'step_size', camel: 'stepSize' },
  ])
})
