// The napi backend's additions to napi-rs's output: the class guard in the
// loader (run here on a real napi-rs-shaped loader and a fake binding) and
// the catch_unwind warning.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { inspect } from 'node:util'
import { pathToFileURL } from 'node:url'
import { declaredClasses, guardLoader } from '../../src/backends/napi/classes.js'
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

test('the guarded loader: a class without new throws a TypeError, new works, console.log shows toString', async () => {
  const dir = tempDir()
  fs.writeFileSync(path.join(dir, 'package.json'), '{"type": "module"}')
  fs.copyFileSync(path.join(repoRoot, 'templates', 'runtime', 'classes.js'), path.join(dir, 'classes.js'))
  const guarded = guardLoader(loader, ['Counter'])
  assert.ok(guarded)
  fs.writeFileSync(path.join(dir, 'index.mjs'), guarded)
  // A napi-rs class is a plain function: without `new` it would run on `this`.
  function Counter(this: { value?: number } | undefined, start: number) {
    if (this) this.value = start
  }
  Counter.prototype.toString = function (this: { value: number }) {
    return `Counter(${this.value})`
  }
  const add = (a: number, b: number) => a + b
  ;(globalThis as Record<string, unknown>).__binding = { Counter, add }
  const mod = await import(pathToFileURL(path.join(dir, 'index.mjs')).href)
  assert.throws(() => mod.Counter(1), { name: 'TypeError', message: "Class constructor Counter cannot be invoked without 'new'" })
  const counter = new mod.Counter(3)
  assert.ok(counter instanceof mod.Counter)
  assert.ok(counter instanceof Counter)
  assert.equal(counter.constructor, mod.Counter)
  assert.equal(inspect(counter), 'Counter(3)')
  assert.equal(mod.add(1, 2), 3)
})

test('guardLoader leaves a loader without classes as it is, and refuses an unknown shape', () => {
  assert.equal(guardLoader(loader, []), loader)
  assert.equal(guardLoader('export const x = 1\n', ['Counter']), undefined)
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
