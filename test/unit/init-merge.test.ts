// How `rusty init` merges its package.json fields into a package's own
// (mergePackageJson in src/init/merge-package.ts); the backend's own keys come
// from its entry in the table.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { backendInfo } from '../../src/backends/registry.js'
import { mergePackageJson } from '../../src/init/merge-package.js'
import { createPackageJson, createTemplateContext } from '../../src/project/package-json.js'
import { validateProjectName } from '../../src/project/names.js'

function fresh(backend: string) {
  const info = backendInfo(backend)
  const context = createTemplateContext(validateProjectName('demo'), info, { crateDir: 'rust' })
  return { pkg: createPackageJson(context, info), keys: Object.keys(info.packageJsonFields(context)) }
}

test("the backend's own fields are merged key by key, the package's values winning", () => {
  const napi = fresh('napi')
  assert.deepEqual(napi.keys, ['napi'])
  const existing = { name: 'demo', main: 'index.js', napi: { binaryName: 'mine' }, scripts: { test: 'ava' }, imports: { '#x': './x.js' } }
  const merged = mergePackageJson(existing, napi.pkg, { backendKeys: napi.keys, entries: {} })
  assert.deepEqual(merged.napi, { ...(napi.pkg.napi as object), binaryName: 'mine' })
  assert.equal((merged.scripts as Record<string, string>).test, 'rusty develop && npm run test:only')
  assert.equal((merged.scripts as Record<string, string>)['test:only'], 'ava', "the project's own test command is kept as test:only")
  assert.equal((merged.scripts as Record<string, string>).develop, 'rusty develop')
  assert.deepEqual(merged.imports, { '#x': './x.js' }, "napi adds no imports: the package's stay as they are")
  assert.equal(merged.type, 'module')
  assert.equal(merged.main, 'index.js', 'an existing entry point stays')

  const wasm = fresh('wasm')
  assert.deepEqual(wasm.keys, ['imports'])
  const withImports = mergePackageJson(existing, wasm.pkg, { backendKeys: wasm.keys, entries: {} })
  assert.deepEqual(Object.keys(withImports.imports as object), ['#native', '#x'])
  assert.deepEqual(withImports.napi, { binaryName: 'mine' }, 'another backend leaves napi alone')

  const koffi = fresh('koffi')
  assert.deepEqual(koffi.keys, ['dependencies'])
  const withDeps = mergePackageJson({ name: 'demo', dependencies: { koffi: '1.0.0' } }, koffi.pkg, { backendKeys: koffi.keys, entries: {} })
  assert.deepEqual(Object.keys(withDeps.dependencies as object).sort(), ['detect-libc', 'koffi'])
  assert.equal((withDeps.dependencies as Record<string, string>).koffi, '1.0.0')
  
})

test('the entry points given replace the package\'s; no package.json means the fresh one', () => {
  const napi = fresh('napi')
  const merged = mergePackageJson({ name: 'demo', main: 'index.js', types: 'index.d.ts' }, napi.pkg, { backendKeys: napi.keys, entries: { main: napi.pkg.main, types: napi.pkg.types } })
  assert.equal(merged.main, './dist/index.js')
  assert.equal(merged.types, './dist/index.d.ts')
  assert.equal(mergePackageJson(undefined, napi.pkg, { backendKeys: napi.keys, entries: {} }), napi.pkg)
})

test('new and init give a koffi project @napi-rs/cross-toolchain (Linux release builds link with it); napi has it through @napi-rs/cli', () => {
  const koffi = fresh('koffi')
  assert.equal((koffi.pkg.devDependencies as Record<string, string>)['@napi-rs/cross-toolchain'], '^1.0.5')
  const merged = mergePackageJson({ name: 'demo', devDependencies: { ava: '6' } }, koffi.pkg, { backendKeys: koffi.keys, entries: {} })
  assert.deepEqual(Object.keys(merged.devDependencies as object).sort(), ['@napi-rs/cross-toolchain', 'ava', 'rusty-cli', 'typescript'])
  assert.equal((fresh('napi').pkg.devDependencies as Record<string, string>)['@napi-rs/cross-toolchain'], undefined)
})
