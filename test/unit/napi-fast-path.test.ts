// The napi develop fast path's decisions (src/backends/napi/fast-path.ts),
// with a stand-in for cargo that prints cargo's JSON message for the crate
// (the Cargo Book, "JSON messages": compiler-artifact with `fresh`) and logs
// each call. The real cargo and napi-rs paths are in test/e2e/napi.test.ts.
import { afterEach, beforeEach, test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { tryFastPath, writeNapiStamp } from '../../src/backends/napi/fast-path.js'
import type { BuildOptions } from '../../src/backends/types.js'
import type { Project } from '../../src/project/config.js'
import { createReporter } from '../../src/util/reporter.js'

let dir: string
let options: BuildOptions
let stampFile: string
let lib: string
let typeDefs: string
let calls: string
let node: string
const saved = { CARGO: process.env.CARGO, FAKE_CARGO_FRESH: process.env.FAKE_CARGO_FRESH }

beforeEach(async () => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-napi-fast-')))
  const project: Project = {
    root: dir,
    packageJsonPath: path.join(dir, 'package.json'),
    packageJson: { name: 'x' },
    config: { backend: 'napi', crate: 'rust', glibc: '2.17' },
    crateDir: path.join(dir, 'rust'),
    manifestPath: path.join(dir, 'rust', 'Cargo.toml'),
    nativeDir: path.join(dir, 'native'),
    stateDir: path.join(dir, '.rusty'),
  }
  fs.mkdirSync(project.crateDir)
  fs.mkdirSync(project.nativeDir)
  fs.writeFileSync(project.packageJsonPath, '{"name":"x"}')
  fs.writeFileSync(project.manifestPath, '[package]\nname = "x"\n')
  lib = path.join(dir, 'target', 'debug', 'libx.so')
  fs.mkdirSync(path.dirname(lib), { recursive: true })
  fs.writeFileSync(lib, 'library v1')
  node = path.join(project.nativeDir, 'x.linux-x64-gnu.node')
  fs.writeFileSync(node, 'library v1')
  fs.writeFileSync(path.join(project.nativeDir, 'index.js'), 'loader')
  fs.writeFileSync(path.join(project.nativeDir, 'index.d.ts'), 'typings')
  typeDefs = path.join(dir, 'type-defs')
  fs.mkdirSync(typeDefs)
  fs.writeFileSync(path.join(typeDefs, 'x'), '{"kind":"fn","name":"add"}\n')
  const napiCli = path.join(dir, 'node_modules', '@napi-rs', 'cli', 'package.json')
  fs.mkdirSync(path.dirname(napiCli), { recursive: true })
  fs.writeFileSync(napiCli, '{"version":"3.0.0"}')

  calls = path.join(dir, 'cargo-calls.log')
  const cargo = path.join(dir, 'cargo')
  const message = { reason: 'compiler-artifact', package_id: 'x', manifest_path: project.manifestPath, target: { name: 'x', crate_types: ['cdylib'] }, filenames: [lib] }
  fs.writeFileSync(
    cargo,
    `#!${process.execPath}\nconst fs = require('node:fs')\nfs.appendFileSync(${JSON.stringify(calls)}, process.argv.slice(2).join(' ') + '\\n')\nconsole.log(JSON.stringify({ ...${JSON.stringify(message)}, fresh: process.env.FAKE_CARGO_FRESH !== '0' }))\n`,
    { mode: 0o755 },
  )
  process.env.CARGO = cargo
  delete process.env.FAKE_CARGO_FRESH
  options = { project, release: false, features: [], cargoArgs: [], incremental: true, reporter: createReporter({ silent: true }) }
  stampFile = path.join(project.stateDir, 'napi-stamp.json')
  const files = [node, path.join(project.nativeDir, 'index.d.ts'), path.join(project.nativeDir, 'index.js')]
  await writeNapiStamp(options, stampFile, { cargo: { args: ['build', '--target', 'x86_64-unknown-linux-gnu'], env: { NAPI_TYPE_DEF_TMP_FOLDER: typeDefs }, typeDefFolder: typeDefs }, napiCliPackageJson: napiCli, node, files, platform: 'linux-x64-gnu' })
})

afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  fs.rmSync(dir, { recursive: true, force: true })
})

const cargoCalls = () => fs.readFileSync(calls, 'utf8').trim().split('\n')

/**
 * What the fast path decided: nothing to place, or only the .node, which is
 * placed here as the pipeline would (copied into native/, then the stamps).
 */
async function fastPath(opts: BuildOptions = options): Promise<'up-to-date' | 'library-only' | undefined> {
  const result = await tryFastPath(opts, stampFile)
  if (!result) return undefined
  if (result.outputs.length === 0) return 'up-to-date'
  assert.deepEqual(result.outputs.map((output) => [output.dest, output.role]), [[path.basename(node), 'library']])
  for (const output of result.outputs) {
    if ('file' in output.source) fs.copyFileSync(output.source.file, path.join(opts.project.nativeDir, output.dest))
  }
  await result.afterCommit?.((file) => path.join(opts.project.nativeDir, file))
  return 'library-only'
}

test('nothing changed: cargo runs with napi-rs\'s arguments and the build is up to date', async () => {
  assert.ok(fs.existsSync(stampFile), 'the stamp was written after the no-op check')
  assert.equal(await fastPath(), 'up-to-date')
  assert.equal(cargoCalls().at(-1), 'build --target x86_64-unknown-linux-gnu --message-format=json-render-diagnostics')
})

test('another profile or other features: napi-rs must build, and cargo is not even started', async () => {
  const before = cargoCalls().length
  assert.equal(await tryFastPath({ ...options, release: true }, stampFile), undefined)
  assert.equal(await tryFastPath({ ...options, features: ['extra'] }, stampFile), undefined)
  assert.equal(await tryFastPath({ ...options, cargoArgs: ['--locked'] }, stampFile), undefined)
  assert.equal(cargoCalls().length, before)
})

test('an edited Cargo.toml: napi-rs must build', async () => {
  fs.appendFileSync(options.project.manifestPath, '# edited\n')
  assert.equal(await tryFastPath(options, stampFile), undefined)
})

test('cargo rebuilt the library, the type definitions are the same: only the .node is installed', async () => {
  process.env.FAKE_CARGO_FRESH = '0'
  fs.writeFileSync(lib, 'library v2')
  assert.equal(await fastPath(), 'library-only')
  assert.equal(fs.readFileSync(node, 'utf8'), 'library v2')
  delete process.env.FAKE_CARGO_FRESH
  assert.equal(await fastPath(), 'up-to-date', 'the stamp now records the new library')
})

test('cargo rebuilt the library with other type definitions: napi-rs must build', async () => {
  process.env.FAKE_CARGO_FRESH = '0'
  fs.writeFileSync(lib, 'library v2')
  fs.appendFileSync(path.join(typeDefs, 'x'), '{"kind":"fn","name":"triple"}\n')
  assert.equal(await tryFastPath(options, stampFile), undefined)
  assert.equal(fs.readFileSync(node, 'utf8'), 'library v1', 'native/ is left to napi-rs')
})

test('a deleted .node is installed again; an edited loader needs napi-rs', async () => {
  fs.rmSync(node)
  assert.equal(await fastPath(), 'library-only')
  assert.equal(fs.readFileSync(node, 'utf8'), 'library v1')
  fs.appendFileSync(path.join(options.project.nativeDir, 'index.js'), '// edited\n')
  assert.equal(await tryFastPath(options, stampFile), undefined)
})

test('a damaged stamp (a field missing or of another type) is stale: napi-rs builds, cargo is not started', async () => {
  const before = cargoCalls().length
  const stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8')) as Record<string, unknown>
  const damaged: Record<string, unknown>[] = [
    { ...stamp, cargo: undefined },
    { ...stamp, cargo: { ...(stamp.cargo as object), args: 'build' } },
    { ...stamp, outputs: undefined },
    { ...stamp, inputs: [] },
    { ...stamp, libraryFacts: { size: '1' } },
    { ...stamp, node: 1 },
  ]
  for (const value of damaged) {
    fs.writeFileSync(stampFile, JSON.stringify(value))
    assert.equal(await tryFastPath(options, stampFile), undefined, JSON.stringify(value).slice(0, 80))
  }
  for (const text of ['null', '[]', '"x"', '{"at":']) {
    fs.writeFileSync(stampFile, text)
    assert.equal(await tryFastPath(options, stampFile), undefined, text)
  }
  assert.equal(cargoCalls().length, before)
})
