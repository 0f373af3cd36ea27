// Which wasm target (wasm: --wasm-target) a build uses (resolveWasmTarget in src/backends/index.ts).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { resolveWasmTarget, type Backend } from '../../src/backends/index.js'
import type { Project } from '../../src/project/config.js'

const withTargets = { name: 'wasm', wasmTargets: ['universal', 'nodejs', 'web', 'bundler'] } as unknown as Backend
const without = { name: 'koffi' } as unknown as Backend
const project = (wasmTarget?: string) =>
  ({ packageJsonPath: '/p/package.json', config: { backend: 'wasm', crate: 'rust', wasmTarget } }) as unknown as Project

test('the flag wins over package.json, which wins over the default (undefined)', () => {
  assert.equal(resolveWasmTarget(withTargets, project('web'), 'bundler'), 'bundler')
  assert.equal(resolveWasmTarget(withTargets, project('web')), 'web')
  assert.equal(resolveWasmTarget(withTargets, project()), undefined)
})

test('an unknown target names its source and the choices (exit 2)', () => {
  assert.throws(() => resolveWasmTarget(withTargets, project(), 'deno'), { message: 'Unknown --wasm-target "deno": use one of universal, nodejs, web, bundler.', exitCode: 2 })
  assert.throws(() => resolveWasmTarget(withTargets, project('es5')), /^RustyError: Unknown "rusty"\.wasmTarget in \/p\/package\.json "es5"/)
})

test('a backend without targets refuses the option', () => {
  assert.equal(resolveWasmTarget(without, project()), undefined)
  assert.throws(() => resolveWasmTarget(without, project(), 'web'), { message: '--wasm-target applies to the wasm backend only; this project uses koffi.', exitCode: 2 })
})

test("glueExports lists wasm-bindgen's named exports, not default", async () => {
  const { glueExports } = await import('../../src/backends/wasm/index.js')
  const glue = [
    'export class Counter {}',
    'export function add(a, b) {}',
    'export async function sumAsync(values) {}',
    'function notExported() {}',
    'function __wbg_init() {}',
    'function initSync() {}',
    "const text = 'export function notAnExport() {}'",
    'export { initSync, __wbg_init as default };',
    'export {',
    '    Meter, greet as hello',
    '} from "./index_bg.js";',
  ].join('\n')
  assert.deepEqual(await glueExports(glue), ['Counter', 'add', 'sumAsync', 'initSync', 'Meter', 'hello'])
})
