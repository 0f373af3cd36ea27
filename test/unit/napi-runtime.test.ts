// The napi backend's additions to napi-rs's output: the panic codes and the
// class guard in the loader (run here on a napi-rs-shaped loader and a fake
// binding) and the catch_unwind warning.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { inspect } from 'node:util'
import { pathToFileURL } from 'node:url'
import { declaredClasses, patchLoader } from '../../src/backends/napi/loader.js'
import { uncaughtPanicSites } from '../../src/backends/napi/panics.js'
import { missingBindingExports } from '../../src/project/typescript.js'
import { repoRoot, tempDir } from '../helpers.js'

const loader = `/* eslint-disable */
const nativeBinding = globalThis.__binding
const { Counter, add } = nativeBinding
export { Counter }
export { add }
`

test('declaredClasses reads the classes from napi-rs typings', () => {
  const dts = 'export declare class Counter {\n  constructor()\n}\nexport declare function add(a: number): number\nexport declare class Point {}\n'
  assert.deepEqual(declaredClasses(dts), ['Counter', 'Point'])
})

/** Writes the patched loader and its runtime files into a temp dir; returns the loader's path. */
function writePatchedLoader(classes: string[], js = loader): string {
  const dir = tempDir()
  fs.writeFileSync(path.join(dir, 'package.json'), '{"type": "module"}')
  const patched = patchLoader(js, classes, 'demo')
  assert.ok(patched)
  for (const name of patched.runtime) fs.copyFileSync(path.join(repoRoot, 'templates', 'runtime', name), path.join(dir, name))
  fs.writeFileSync(path.join(dir, 'index.mjs'), patched.js)
  return path.join(dir, 'index.mjs')
}

/** A napi-rs-like Error: napi-rs sets `code` to the Status name. */
function napiError(message: string, code = 'GenericFailure'): Error {
  return Object.assign(new Error(message), { code })
}

test('the guarded loader: a class without new throws a TypeError, new works, console.log shows toString', async () => {
  const file = writePatchedLoader(['Counter'])
  // A napi-rs class is a plain function: without `new` it would run on `this`.
  function Counter(this: { value?: number } | undefined, start: number) {
    if (this) this.value = start
  }
  Counter.prototype.toString = function (this: { value: number }) {
    return `Counter(${this.value})`
  }
  const add = (a: number, b: number) => a + b
  ;(globalThis as Record<string, unknown>).__binding = { Counter, add }
  const mod = await import(pathToFileURL(file).href)
  assert.throws(() => mod.Counter(1), { name: 'TypeError', message: "Class constructor Counter cannot be invoked without 'new'" })
  const counter = new mod.Counter(3)
  assert.ok(counter instanceof mod.Counter)
  assert.ok(counter instanceof Counter)
  assert.equal(counter.constructor, mod.Counter)
  assert.equal(inspect(counter), 'Counter(3)')
  assert.equal(mod.add(1, 2), 3)
  // No __rustyTakePanic export: the functions are napi-rs's own.
  assert.equal(mod.add, add)
})

test('panic codes: errors from panics get RUST_PANIC in functions, promises, methods, accessors, constructors; others keep theirs', async () => {
  const names = ['Counter', 'divide', 'fails', 'later', 'laterFails']
  const file = writePatchedLoader(['Counter'], loader.replace('const { Counter, add }', `const { ${names.join(', ')} }`).replace('export { add }', `export { ${names.slice(1).join(', ')} }`))
  const noted: string[] = []
  const panic = (message: string) => {
    noted.push(message)
    return napiError(message)
  }
  class Counter {
    value: number
    constructor(start: number) {
      if (start < 0) throw panic('negative start')
      this.value = start
    }
    get doubled(): number {
      throw panic('getter boom')
    }
    set step(v: number) {
      if (v === 0) throw napiError('step must not be 0', 'InvalidArg')
      throw panic(`setter ${v}`)
    }
    bump(this: Counter, by: number): number {
      if (by === 0) throw panic('method boom')
      return (this.value += by)
    }
  }
  // napi-rs defines static methods and factories read-only and non-configurable.
  Object.defineProperty(Counter, 'make', {
    value: () => {
      throw panic('static boom')
    },
    writable: false,
    enumerable: false,
    configurable: false,
  })
  const binding = {
    Counter,
    divide: (a: number, b: number) => {
      if (b === 0) throw panic('attempt to divide by zero')
      return a / b
    },
    fails: () => {
      throw napiError('ordinary failure')
    },
    later: async () => {
      throw panic('async boom')
    },
    laterFails: async () => {
      throw napiError('async failure')
    },
    __rustyTakePanic: (message: string) => {
      const i = noted.findIndex((p) => message.includes(p))
      if (i < 0) return false
      noted.splice(i, 1)
      return true
    },
  }
  ;(globalThis as Record<string, unknown>).__binding = binding
  const mod = await import(`${pathToFileURL(file).href}?panics`)
  assert.equal(mod.divide(6, 3), 2)
  assert.equal(mod.divide.name, 'divide')
  assert.throws(() => mod.divide(1, 0), { message: 'attempt to divide by zero', code: 'RUST_PANIC' })
  assert.throws(() => mod.fails(), { message: 'ordinary failure', code: 'GenericFailure' })
  await assert.rejects(mod.later(), { message: 'async boom', code: 'RUST_PANIC' })
  await assert.rejects(mod.laterFails(), { message: 'async failure', code: 'GenericFailure' })
  assert.throws(() => new mod.Counter(-1), { message: 'negative start', code: 'RUST_PANIC' })
  const counter = new mod.Counter(1)
  assert.equal(counter.bump(2), 3)
  assert.throws(() => counter.bump(0), { message: 'method boom', code: 'RUST_PANIC' })
  assert.throws(() => counter.doubled, { message: 'getter boom', code: 'RUST_PANIC' })
  assert.throws(() => (counter.step = 0), { code: 'InvalidArg' })
  assert.throws(() => (counter.step = 2), { message: 'setter 2', code: 'RUST_PANIC' })
  assert.throws(() => mod.Counter.make(), { message: 'static boom', code: 'RUST_PANIC' })
  assert.ok(new mod.Counter(2) instanceof Counter, 'the stand-in constructs the class itself')
  assert.equal(noted.length, 0)
  assert.equal('__rustyTakePanic' in binding, false, 'the hidden export is removed from the binding')
})

test('patchLoader refuses an unknown shape; without classes it adds only the panic codes', () => {
  assert.equal(patchLoader('export const x = 1\n', ['Counter'], 'demo'), undefined)
  const patched = patchLoader(loader, [], 'demo')
  assert.deepEqual(patched?.runtime, ['panic-codes.js'])
  assert.doesNotMatch(patched!.js, /guardClasses/)
})

test('uncaughtPanicSites lists sync #[napi] fns without catch_unwind, not async ones or objects', () => {
  const source = [
    '#[napi]',
    'pub fn bare() {}',
    '#[napi(catch_unwind)]',
    'pub fn guarded() {}',
    '#[napi]',
    '/// docs',
    '#[allow(dead_code)]',
    'pub async fn later() {}',
    '#[napi(object)]',
    'pub struct P { pub x: f64 }',
    '#[napi]',
    'impl P {',
    '  #[napi(getter)]',
    '  pub fn x(&self) -> f64 { self.x }',
    '  #[napi(constructor, catch_unwind)]',
    '  pub fn new() -> Self { P { x: 0.0 } }',
    '}',
  ].join('\n')
  assert.deepEqual(uncaughtPanicSites(source), [
    { line: 1, fn: 'bare' },
    { line: 13, fn: 'x' },
  ])
})

test('missingBindingExports names the Rust items the wrapper expects from the binding', () => {
  assert.deepEqual(
    missingBindingExports([
      `Module '"../native/index.js"' has no exported member 'priceOrderJson'.`,
      `'"#native"' has no exported member named 'Counter'. Did you mean 'counter'?`,
      `Module '"./other.js"' has no exported member 'x'.`,
      `Cannot find name 'y'.`,
    ]),
    ['priceOrderJson', 'Counter'],
  )
})
