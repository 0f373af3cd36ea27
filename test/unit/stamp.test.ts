// The output stamp that lets a no-op `rusty develop` skip wasm-bindgen (src/util/stamp.ts).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { readFreshOutputs, readFreshStamp, removeStamp, writeStamp } from '../../src/util/stamp.js'

/** A temp folder with an input and two outputs, stamped with key `k`. */
async function stamped() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-stamp-'))
  const input = path.join(dir, 'lib.wasm')
  const outputs = [path.join(dir, 'out', 'index.js'), path.join(dir, 'out', 'index_bg.wasm')]
  fs.writeFileSync(input, 'module')
  fs.mkdirSync(path.join(dir, 'out'))
  for (const file of outputs) fs.writeFileSync(file, 'glue')
  const stampFile = path.join(dir, 'state', 'stamp.json')
  await writeStamp(stampFile, 'k', [input], outputs)
  return { dir, input, outputs, stampFile }
}

/** Moves a file's mtime one second forward, as a rewrite would. */
function touch(file: string) {
  const later = new Date(fs.statSync(file).mtimeMs + 1000)
  fs.utimesSync(file, later, later)
}

test('fresh right after writing: the recorded outputs come back', async () => {
  const { input, outputs, stampFile } = await stamped()
  assert.deepEqual(await readFreshOutputs(stampFile, 'k', [input]), outputs)
})

test('stale when the key, the input list or an input changes', async () => {
  const { dir, input, stampFile } = await stamped()
  assert.equal(await readFreshOutputs(stampFile, 'other key', [input]), undefined)
  assert.equal(await readFreshOutputs(stampFile, 'k', [path.join(dir, 'other.wasm')]), undefined)
  assert.equal(await readFreshOutputs(stampFile, 'k', []), undefined)
  touch(input)
  assert.equal(await readFreshOutputs(stampFile, 'k', [input]), undefined)
})

test('stale when an output is deleted or rewritten', async () => {
  const first = await stamped()
  fs.rmSync(first.outputs[0]!)
  assert.equal(await readFreshOutputs(first.stampFile, 'k', [first.input]), undefined)
  const second = await stamped()
  fs.writeFileSync(second.outputs[1]!, 'edited by hand')
  assert.equal(await readFreshOutputs(second.stampFile, 'k', [second.input]), undefined)
})

test('stale without a readable stamp; removeStamp is harmless when there is none', async () => {
  const { input, stampFile } = await stamped()
  fs.writeFileSync(stampFile, '{ not json')
  assert.equal(await readFreshOutputs(stampFile, 'k', [input]), undefined)
  await removeStamp(stampFile)
  await removeStamp(stampFile)
  assert.equal(await readFreshOutputs(stampFile, 'k', [input]), undefined)
})

test('writeStamp refuses a missing file', async () => {
  const { dir, input, stampFile } = await stamped()
  await assert.rejects(writeStamp(stampFile, 'k', [input], [path.join(dir, 'missing.js')]), /missing/)
})

test('the data written with a stamp comes back while it is fresh', async () => {
  const { input, outputs, stampFile } = await stamped()
  await writeStamp(stampFile, 'k', [input], outputs, { wasmBindgen: '0.2.130' })
  assert.deepEqual(await readFreshStamp(stampFile, 'k', [input]), { outputs, data: { wasmBindgen: '0.2.130' } })
  touch(input)
  assert.equal(await readFreshStamp(stampFile, 'k', [input]), undefined)
})

test('a stamp copied with its project is stale in the copy: it names the first copy\'s files', async () => {
  // `cp -r app app2 && rm -r app2/native`: app2's stamp must not vouch for app's native/.
  const { dir, input, stampFile } = await stamped()
  const copy = `${dir}-copy`
  fs.cpSync(dir, copy, { recursive: true, preserveTimestamps: true })
  const copiedStamp = path.join(copy, path.relative(dir, stampFile))
  assert.ok(await readFreshOutputs(stampFile, 'k', [input]))
  assert.equal(await readFreshOutputs(copiedStamp, 'k', [input]), undefined)
})

test('a damaged stamp (a field missing or of another type, or not an object) is stale, and writeStamp makes it good again', async () => {
  const { input, outputs, stampFile } = await stamped()
  const stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8')) as Record<string, unknown>
  for (const value of [{ ...stamp, outputs: undefined }, { ...stamp, inputs: undefined }, { ...stamp, outputs: { [outputs[0]!]: 5 } }, { ...stamp, key: 1 }, null, [stamp]]) {
    fs.writeFileSync(stampFile, JSON.stringify(value))
    assert.equal(await readFreshStamp(stampFile, 'k', [input]), undefined, JSON.stringify(value)?.slice(0, 80))
  }
  await writeStamp(stampFile, 'k', [input], outputs)
  assert.deepEqual(await readFreshOutputs(stampFile, 'k', [input]), outputs)
})

test('a folder where a stamp belongs is damage too: stale, and replaced by the next stamp', async () => {
  const { input, outputs, stampFile } = await stamped()
  fs.rmSync(stampFile)
  fs.mkdirSync(path.join(stampFile, 'inner'), { recursive: true })
  assert.equal(await readFreshStamp(stampFile, 'k', [input]), undefined)
  await writeStamp(stampFile, 'k', [input], outputs)
  assert.deepEqual(await readFreshOutputs(stampFile, 'k', [input]), outputs)
  fs.rmSync(stampFile)
  fs.mkdirSync(stampFile)
  await removeStamp(stampFile)
  assert.equal(fs.existsSync(stampFile), false)
})
