// The build lock (src/project/lock.ts): a lock whose owner was SIGKILLed is
// taken over at once; a live owner still makes the next run wait.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { acquireBuildLock } from '../../src/project/lock.js'
import type { Project } from '../../src/project/config.js'
import type { Reporter } from '../../src/util/reporter.js'

const lockModule = fileURLToPath(new URL('../../src/project/lock.ts', import.meta.url))

function project(): Project {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-lock-')))
  return { stateDir: path.join(root, '.rusty'), root } as Project
}

/** A reporter that keeps its info lines. */
function recorder(): Reporter & { lines: string[] } {
  const lines: string[] = []
  const keep = (message: string) => void lines.push(message)
  return { lines, start: keep, done: keep, handOff: keep, info: keep, warn: keep }
}

/** A child Node process that takes the lock, says `locked` and then waits until it is killed. */
async function holdLock(p: Project) {
  const code = `
    const { acquireBuildLock } = await import(${JSON.stringify(lockModule)})
    const quiet = { start() {}, done() {}, handOff() {}, info() {}, warn() {} }
    await acquireBuildLock(${JSON.stringify(p)}, quiet)
    console.log('locked')
    setInterval(() => {}, 1000)
  `
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk) => String(chunk).includes('locked') && resolve())
    child.once('exit', () => reject(new Error('the lock holder exited early')))
  })
  return Object.assign(child, { exited: once(child, 'exit') })
}

test('a lock left by a SIGKILLed run is taken over without waiting', async () => {
  const p = project()
  const holder = await holdLock(p)
  const owner = JSON.parse(fs.readFileSync(path.join(p.stateDir, 'build.lock.owner'), 'utf8'))
  assert.equal(owner.pid, holder.pid)
  holder.kill('SIGKILL')
  await holder.exited
  assert.ok(fs.existsSync(path.join(p.stateDir, 'build.lock')), 'SIGKILL leaves the lock behind')

  const reporter = recorder()
  const unlock = await acquireBuildLock(p, reporter)
  assert.deepEqual(reporter.lines, [], 'no "waiting" line: the dead owner was noticed at once')
  assert.equal(JSON.parse(fs.readFileSync(path.join(p.stateDir, 'build.lock.owner'), 'utf8')).pid, process.pid)
  await unlock()
  assert.ok(!fs.existsSync(path.join(p.stateDir, 'build.lock')))
  assert.ok(!fs.existsSync(path.join(p.stateDir, 'build.lock.owner')))
})

test('a live owner still makes the next run wait until it is gone', async () => {
  const p = project()
  const holder = await holdLock(p)
  const reporter = recorder()
  let acquired = false
  const waiting = acquireBuildLock(p, reporter).then((unlock) => {
    acquired = true
    return unlock
  })
  // The waiter has said so once it has found the lock taken.
  while (reporter.lines.length === 0) await new Promise((resolve) => setTimeout(resolve, 50))
  assert.match(reporter.lines[0]!, /Another rusty build is running/)
  assert.equal(acquired, false)
  holder.kill('SIGKILL')
  const unlock = await waiting
  assert.equal(acquired, true)
  await unlock()
})
