import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { assertEmptyTarget, writeProject } from '../../src/project/scaffold.js'
import { execa } from 'execa'
import { listFiles, repoRoot, tempDir } from '../helpers.js'

test('assertEmptyTarget accepts a missing or empty folder', async () => {
  const root = tempDir()
  await assertEmptyTarget(path.join(root, 'missing'))
  fs.mkdirSync(path.join(root, 'empty'))
  await assertEmptyTarget(path.join(root, 'empty'))
})

test('assertEmptyTarget refuses a non-empty folder and a file', async () => {
  const root = tempDir()
  fs.writeFileSync(path.join(root, 'file'), 'x')
  await assert.rejects(assertEmptyTarget(root), /the folder is not empty/)
  await assert.rejects(assertEmptyTarget(path.join(root, 'file')), /a file with that name exists/)
})

test('writeProject writes every file, replacing an empty folder', async () => {
  const root = tempDir()
  const dir = path.join(root, 'p')
  fs.mkdirSync(dir)
  await writeProject(dir, new Map<string, string | Buffer>([['a.txt', 'a'], ['deep/b.txt', Buffer.from('b')]]))
  assert.deepEqual(listFiles(dir), ['a.txt', 'deep/b.txt'])
  assert.deepEqual(fs.readdirSync(root), ['p'], 'no staging folder is left behind')
})

test('a failure while writing leaves neither the folder nor a staging folder', async () => {
  const root = tempDir()
  const dir = path.join(root, 'p')
  // A path that cannot be created: a file under a "folder" that is a file.
  const files = new Map<string, string>([['x', 'file'], ['x/y', 'under a file']])
  await assert.rejects(writeProject(dir, files))
  assert.deepEqual(fs.readdirSync(root), [])
})

test('a parent path that is a file is a clear error', async () => {
  const root = tempDir()
  fs.writeFileSync(path.join(root, 'file'), 'x')
  await assert.rejects(writeProject(path.join(root, 'file', 'p'), new Map([['a', 'a']])), /Cannot create .*file/)
  assert.deepEqual(fs.readdirSync(root), ['file'])
})

test('Ctrl-C while the files are being written leaves nothing behind', async () => {
  const root = tempDir()
  const dir = path.join(root, 'interrupted')
  const script = `
    import { writeProject } from ${JSON.stringify(new URL('../../src/project/scaffold.ts', import.meta.url).href)}
    const files = new Map(Array.from({ length: 3000 }, (_, i) => [\`deep/\${i % 30}/file-\${i}.txt\`, 'x'.repeat(1000)]))
    setTimeout(() => process.kill(process.pid, 'SIGINT'), 20)
    await writeProject(${JSON.stringify(dir)}, files)
    console.log('finished before the signal')
  `
  const result = await execa(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { reject: false, cwd: repoRoot })
  assert.equal(result.signal, 'SIGINT', `the process ended by the signal (${result.stdout}${result.stderr})`)
  assert.deepEqual(fs.readdirSync(root), [], 'neither the project nor a staging folder is left')
})
