// The one install routine of napi, koffi and wasm (src/backends/install.ts).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { installOutput, runtimeFile, runtimeSource, type OutputFile } from '../../src/backends/install.js'
import { repoRoot, tempDir } from '../helpers.js'

test('library first, runtime and glue next, typings, loader last, whatever order the generator gave', async () => {
  const dir = tempDir()
  const native = path.join(dir, 'native')
  const source = path.join(dir, 'libx.so')
  fs.writeFileSync(source, 'library')
  const files: OutputFile[] = [
    { dest: path.join(native, 'index.js'), role: 'loader', source: { content: 'loader' } },
    { dest: path.join(native, 'index.d.ts'), role: 'typings', source: { content: 'typings' } },
    { dest: path.join(native, 'web', 'index.js'), role: 'glue', source: { content: 'glue' } },
    runtimeFile(native, 'platform.js'),
    { dest: path.join(native, 'libx.so'), role: 'library', source: { file: source } },
  ]
  const report = await installOutput({ files })
  assert.deepEqual(
    report.files.map((file) => path.relative(native, file)),
    ['libx.so', 'platform.js', path.join('web', 'index.js'), 'index.d.ts', 'index.js'],
  )
  assert.deepEqual([...report.changed].sort(), [...report.files].sort())
  assert.equal(fs.readFileSync(path.join(native, 'platform.js'), 'utf8'), fs.readFileSync(path.join(repoRoot, 'templates', 'runtime', 'platform.js'), 'utf8'))
  assert.equal(fs.readFileSync(path.join(native, 'libx.so'), 'utf8'), 'library')

  // Again: nothing changed, nothing is rewritten.
  const again = await installOutput({ files })
  assert.deepEqual(again.changed, [])
})

test('an unchecked library is copied and counted as changed; stale paths that exist are removed and reported', async () => {
  const dir = tempDir()
  const source = path.join(dir, 'big.so')
  fs.writeFileSync(source, 'same bytes')
  const dest = path.join(dir, 'native', 'big.so')
  fs.mkdirSync(path.join(dir, 'native', 'nodejs'), { recursive: true })
  fs.writeFileSync(path.join(dir, 'native', 'nodejs', 'index.js'), 'old glue')
  const output = {
    files: [{ dest, role: 'library' as const, source: { file: source }, unchecked: true }],
    stale: [path.join(dir, 'native', 'nodejs'), path.join(dir, 'native', 'bundler')],
  }
  assert.deepEqual((await installOutput(output)).changed, [dest, path.join(dir, 'native', 'nodejs')])
  assert.deepEqual(fs.readdirSync(path.join(dir, 'native')), ['big.so'])
  assert.deepEqual((await installOutput(output)).changed, [dest], 'copied again, unread; nothing stale is left')
})

test('runtimeSource names the file in templates/runtime', () => {
  assert.equal(runtimeSource('ffi.js'), path.join(repoRoot, 'templates', 'runtime', 'ffi.js'))
  assert.ok(fs.existsSync(runtimeSource('ffi.js')))
})
