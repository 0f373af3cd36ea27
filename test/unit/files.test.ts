// rusty's atomic file writes (src/util/files.ts): what native/ installs rely on.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { copyFileAtomic, installFile, writeFileAtomic } from '../../src/util/files.js'
import { tempDir } from '../helpers.js'

test('writeFileAtomic creates the folder, writes, and leaves no temporary file', async () => {
  const dir = tempDir()
  const file = path.join(dir, 'a', 'b', 'index.js')
  assert.equal(await writeFileAtomic(file, 'export {}\n'), true)
  assert.equal(fs.readFileSync(file, 'utf8'), 'export {}\n')
  assert.deepEqual(fs.readdirSync(path.dirname(file)), ['index.js'])
})

test('writeFileAtomic skips identical bytes (no new mtime) and keeps the mode of the file it replaces', async () => {
  const file = path.join(tempDir(), 'tool.sh')
  await writeFileAtomic(file, Buffer.from('one'))
  fs.chmodSync(file, 0o755)
  const old = new Date(Date.now() - 60_000)
  fs.utimesSync(file, old, old)
  const before = fs.statSync(file).mtimeMs
  assert.equal(await writeFileAtomic(file, 'one'), false)
  assert.equal(fs.statSync(file).mtimeMs, before)
  assert.equal(await writeFileAtomic(file, 'two'), true)
  assert.equal(fs.readFileSync(file, 'utf8'), 'two')
  if (process.platform !== 'win32') assert.equal(fs.statSync(file).mode & 0o777, 0o755)
  assert.deepEqual(fs.readdirSync(path.dirname(file)), ['tool.sh'])
})

test('installFile and copyFileAtomic put a copy in place; installFile reports whether it changed', async () => {
  const dir = tempDir()
  const source = path.join(dir, 'lib.so')
  fs.writeFileSync(source, 'library')
  const dest = path.join(dir, 'native', 'lib.so')
  assert.equal(await installFile(source, dest), true)
  assert.equal(await installFile(source, dest), false)
  const copy = path.join(dir, 'out', 'lib.so')
  await copyFileAtomic(source, copy)
  assert.equal(fs.readFileSync(copy, 'utf8'), 'library')
  assert.deepEqual(fs.readdirSync(path.join(dir, 'out')), ['lib.so'])
})
