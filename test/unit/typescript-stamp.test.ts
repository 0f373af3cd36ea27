// The TypeScript wrapper's stamp (src/project/typescript.ts): size and mtime
// first, the bytes' hash when those cannot tell, and never another project's.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { compileTypeScript } from '../../src/project/typescript.js'
import type { Project } from '../../src/project/config.js'
import { repoRoot, tempDir } from '../helpers.js'

/** A package with a tsconfig and one source file, using this repository's typescript. */
function tsPackage(): { project: Project; source: string } {
  const root = tempDir('rusty-tsc-stamp-')
  fs.mkdirSync(path.join(root, 'src'))
  fs.mkdirSync(path.join(root, 'node_modules'))
  fs.symlinkSync(path.join(repoRoot, 'node_modules', 'typescript'), path.join(root, 'node_modules', 'typescript'))
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'p', type: 'module' }))
  fs.writeFileSync(
    path.join(root, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'NodeNext', target: 'ES2022', outDir: 'dist', rootDir: 'src', declaration: true }, include: ['src'] }),
  )
  const source = path.join(root, 'src', 'index.ts')
  fs.writeFileSync(source, 'export const answer: number = 41\n')
  return { project: { root, stateDir: path.join(root, '.rusty') } as Project, source }
}

/** Sets a file's atime and mtime to `ms` (ms since the epoch). */
function setMtime(file: string, ms: number) {
  fs.utimesSync(file, new Date(ms), new Date(ms))
}

test('unchanged sources are fresh; an edit that keeps size and mtime is caught by the hash while it is recent', async () => {
  const { project, source } = tsPackage()
  assert.equal((await compileTypeScript(project)).compiled, true)
  assert.equal((await compileTypeScript(project)).compiled, false)
  // A same-size edit in the same mtime tick (a coarse-mtime filesystem): size and mtime say nothing.
  const { mtimeMs } = fs.statSync(source)
  fs.writeFileSync(source, 'export const answer: number = 42\n')
  setMtime(source, mtimeMs)
  assert.equal((await compileTypeScript(project)).compiled, true)
  assert.match(fs.readFileSync(path.join(project.root, 'dist', 'index.js'), 'utf8'), /42/)
})

test('an old source with the recorded size and mtime is trusted; a touched one is hashed, and fresh when its bytes are the same', async () => {
  const { project, source } = tsPackage()
  const old = Date.now() - 60_000
  setMtime(source, old)
  setMtime(path.join(project.root, 'tsconfig.json'), old)
  assert.equal((await compileTypeScript(project)).compiled, true)
  assert.equal((await compileTypeScript(project)).compiled, false)
  setMtime(source, old + 1000)
  assert.equal((await compileTypeScript(project)).compiled, false, 'same bytes, new mtime')
  // That check recorded the new mtime, so from here on the old file's facts are trusted again.
  const stamp = JSON.parse(fs.readFileSync(path.join(project.stateDir, 'tsc-stamp.json'), 'utf8')) as { inputs: Record<string, { mtimeMs: number }> }
  assert.ok(Math.abs((stamp.inputs[source]?.mtimeMs ?? 0) - (old + 1000)) < 1, 'the new mtime is recorded')
})

test('inputs written just before the compile are hashed on the next check, then trusted once they are old', async () => {
  const { project, source } = tsPackage()
  assert.equal((await compileTypeScript(project)).compiled, true)
  const stampFile = path.join(project.stateDir, 'tsc-stamp.json')
  // The inputs count as recent when recorded within the racy window of their mtime; pin that rather
  // than rely on the compile taking under the window (it does not on a loaded machine).
  const recent = JSON.parse(fs.readFileSync(stampFile, 'utf8')) as { recordedAt: number }
  recent.recordedAt = fs.statSync(source).mtimeMs + 500
  fs.writeFileSync(stampFile, JSON.stringify(recent))
  const before = fs.readFileSync(stampFile, 'utf8')
  assert.equal((await compileTypeScript(project)).compiled, false)
  assert.notEqual(fs.readFileSync(stampFile, 'utf8'), before, 'the recent inputs were hashed and recorded again')
  // Once the recorded inputs are older than the recording by the racy window, nothing is rewritten.
  const stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8')) as { recordedAt: number }
  stamp.recordedAt = fs.statSync(source).mtimeMs + 60_000
  fs.writeFileSync(stampFile, JSON.stringify(stamp))
  const settled = fs.readFileSync(stampFile, 'utf8')
  assert.equal((await compileTypeScript(project)).compiled, false)
  assert.equal(fs.readFileSync(stampFile, 'utf8'), settled, 'old inputs: trusted, stamp untouched')
})

test('a stamp copied with its project does not vouch for the copy', async () => {
  const { project } = tsPackage()
  assert.equal((await compileTypeScript(project)).compiled, true)
  const copy = `${project.root}-copy`
  fs.cpSync(project.root, copy, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true })
  fs.rmSync(path.join(copy, 'dist'), { recursive: true })
  const copied = { root: copy, stateDir: path.join(copy, '.rusty') } as Project
  assert.equal((await compileTypeScript(copied)).compiled, true)
  assert.ok(fs.existsSync(path.join(copy, 'dist', 'index.js')))
})

test('a damaged stamp (a field missing or of another type) is stale: the wrapper is compiled again and the stamp rewritten', async () => {
  const { project } = tsPackage()
  assert.equal((await compileTypeScript(project)).compiled, true)
  const stampFile = path.join(project.stateDir, 'tsc-stamp.json')
  const stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8')) as Record<string, unknown>
  for (const value of [{ ...stamp, outputs: undefined }, { ...stamp, inputs: undefined }, { ...stamp, inputs: { x: 'hash' } }, { ...stamp, recordedAt: '1' }, null]) {
    fs.writeFileSync(stampFile, JSON.stringify(value))
    assert.equal((await compileTypeScript(project)).compiled, true, JSON.stringify(value)?.slice(0, 80))
    assert.equal((await compileTypeScript(project)).compiled, false, 'the stamp was written again')
  }
})
