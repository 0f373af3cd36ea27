// The table of backends (src/project/backend-table.ts) and loadBackend: what derives from it, and
// that reading it (--help, `rusty new`) loads no backend's code.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { execa } from 'execa'
import { BACKENDS, BACKEND_NAMES, DEFAULT_BACKEND, backendInfo, isBackendName } from '../../src/project/backend-table.js'
import { loadBackend } from '../../src/backends/index.js'
import { doctor } from '../../src/commands/doctor.js'
import { repoRoot, tempDir } from '../helpers.js'

test('the names, their order and the default come from the table', () => {
  assert.deepEqual(BACKEND_NAMES, ['napi', 'koffi', 'wasm'])
  assert.equal(DEFAULT_BACKEND, 'napi')
  assert.equal(BACKENDS.filter((b) => b.default).length, 1, 'exactly one default')
  assert.ok(isBackendName('wasm'))
  assert.ok(!isBackendName('cffi'))
  assert.ok(!isBackendName('toString'), 'not fooled by Object.prototype')
  assert.equal(backendInfo('koffi').name, 'koffi')
})

test('an unknown name is refused with the choices (exit 2)', () => {
  assert.throws(() => backendInfo('cffi'), { message: 'Unknown backend "cffi": use one of napi, koffi, wasm.', exitCode: 2 })
})

test('capabilities: platform packages, the Rust target, wasm targets, artifact names', () => {
  const by = Object.fromEntries(BACKENDS.map((b) => [b.name, b]))
  assert.deepEqual(BACKENDS.filter((b) => b.platformPackages).map((b) => b.name), ['napi', 'koffi'])
  assert.equal(by.wasm!.rustTarget, 'wasm32-unknown-unknown')
  assert.deepEqual(by.wasm!.wasmTargets, ['universal', 'nodejs', 'web', 'bundler'])
  assert.deepEqual(BACKENDS.filter((b) => b.wasmTargets).map((b) => b.name), ['wasm'])
  // A backend ships platform packages exactly when it names one artifact per platform.
  for (const b of BACKENDS) assert.equal(b.platformPackages, b.artifacts.platform === undefined, b.name)
  assert.deepEqual(BACKENDS.flatMap((b) => b.artifacts.extensions), ['node', 'so', 'dylib', 'dll', 'wasm'])
})

test('loadBackend joins each entry with its module, which belongs to it', async () => {
  for (const name of BACKEND_NAMES) {
    const backend = await loadBackend(name)
    assert.equal(backend.name, name)
    assert.equal(backend.label, backendInfo(name).label)
    assert.equal(typeof backend.build, 'function')
  }
  await assert.rejects(loadBackend('cffi'), { exitCode: 2 })
})

test("doctor's backend checks come from the capabilities, in the order they always had", async () => {
  const { checks } = await doctor({ cwd: repoRoot, print: false })
  process.exitCode = undefined
  assert.deepEqual(
    checks.map((c) => [c.name, c.neededBy]),
    [
      ['node', undefined],
      ['npm', undefined],
      ['cargo', undefined],
      ['rustc', undefined],
      ['wasm32-unknown-unknown target', 'wasm'],
      ['wasm-bindgen CLI', 'wasm'],
      ['koffi', 'koffi'],
    ],
  )
  const koffi = (await doctor({ cwd: tempDir('rusty-doctor-'), print: false })).checks.at(-1)
  process.exitCode = undefined
  assert.equal(koffi?.ok, false)
  assert.equal(koffi?.fix, 'npm i koffi (a koffi project lists it in its dependencies)')
})

/**
 * Runs `code` (an ES module body) in a child Node with tsx, recording every
 * module URL it loads; returns those under src/.
 */
async function loadedSources(code: string): Promise<string[]> {
  const dir = tempDir('rusty-loaded-')
  const log = path.join(dir, 'loaded.txt')
  // A resolve hook after tsx's: it sees every URL a module is loaded from.
  const hooks = `
    import fs from 'node:fs'
    export async function resolve(specifier, context, next) {
      const result = await next(specifier, context)
      fs.appendFileSync(${JSON.stringify(log)}, result.url + '\\n')
      return result
    }`
  const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)})`
  const result = await execa(process.execPath, ['--import', 'tsx', '--import', `data:text/javascript,${encodeURIComponent(register)}`, '--input-type=module', '-e', code], {
    cwd: repoRoot,
    reject: false,
    stdin: 'ignore',
    env: { NODE_TEST_CONTEXT: undefined },
  })
  assert.equal(result.exitCode, 0, `${result.stdout}\n${result.stderr}`)
  const src = new URL('../../src/', import.meta.url).href
  return [...new Set(fs.readFileSync(log, 'utf8').split('\n'))].filter((url) => url.startsWith(src)).map((url) => url.slice(src.length))
}

const backendCode = (files: string[]) => files.filter((file) => /^backends\/(napi|koffi|wasm)\//.test(file))

test('--help and `rusty new` read the table and load no backend module', async () => {
  const cli = new URL('../../src/cli.ts', import.meta.url).href
  const help = await loadedSources(`
    const { createProgram } = await import(${JSON.stringify(cli)})
    const program = createProgram().exitOverride().configureOutput({ writeOut: () => {} })
    try { await program.parseAsync(['node', 'rusty', 'new', '--help']) } catch {}
  `)
  assert.ok(help.includes('project/backend-table.ts'), help.join(', '))
  assert.deepEqual(backendCode(help), [])

  const newModule = new URL('../../src/commands/new.ts', import.meta.url).href
  for (const backend of BACKEND_NAMES) {
    const loaded = await loadedSources(`
      const { newProject } = await import(${JSON.stringify(newModule)})
      const quiet = { start() {}, done() {}, handOff() {}, info() {}, warn() {} }
      process.stdout.write = () => true
      await newProject({ cwd: ${JSON.stringify(tempDir('rusty-new-'))}, dir: 'demo', ci: true, backend: ${JSON.stringify(backend)}, interactive: false, dryRun: true, reporter: quiet })
    `)
    assert.ok(loaded.includes('commands/new.ts'))
    assert.deepEqual(backendCode(loaded), [], `new --backend ${backend}`)
  }
})
