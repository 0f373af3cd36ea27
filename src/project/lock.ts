import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import lockfile from 'proper-lockfile'
import { RustyError } from '../errors.js'
import type { Project } from './config.js'
import type { Reporter } from '../util/reporter.js'

/** How long a second build waits for the first one (ms). */
const WAIT_MS = 30 * 60 * 1000
/** How often a waiting build tries the lock again (ms). */
const RETRY_MS = 250
/** After this long without a refresh (ms), proper-lockfile treats a lock as abandoned. */
const STALE_MS = 20_000

/**
 * Who holds the build lock: written next to the lock (`build.lock.owner`)
 * right after taking it, removed right before releasing it. `lock` is the
 * inode of the lock folder, so an owner record left by a killed process is
 * never mistaken for the record of the lock that replaced it.
 */
interface LockOwner {
  pid: number
  hostname: string
  lock: number
}

/**
 * Takes the project's build lock (`.rusty/build.lock`, a proper-lockfile lock
 * whose mtime is refreshed while held), so two `rusty develop` runs in one
 * project take turns instead of writing `native/` at the same time.
 *
 * The holder records its pid in `.rusty/build.lock.owner`. A waiting run
 * checks that pid on every retry: when the process is gone (killed with
 * SIGKILL, say, so it could not release the lock), the lock is taken over at
 * once. A lock whose owner cannot be checked (another host, no record) is
 * taken over when proper-lockfile finds it stale, after 20 s without a refresh.
 *
 * @returns a function that releases the lock
 * @throws RustyError when the lock is still held after 30 minutes
 */
export async function acquireBuildLock(project: Project, reporter: Reporter): Promise<() => Promise<void>> {
  await fs.mkdir(project.stateDir, { recursive: true })
  const lockPath = path.join(project.stateDir, 'build.lock')
  const ownerPath = `${lockPath}.owner`
  const options = { lockfilePath: lockPath, stale: STALE_MS, realpath: false }
  const deadline = Date.now() + WAIT_MS
  let told = false
  for (;;) {
    try {
      const release = await lockfile.lock(project.stateDir, options)
      return await recordOwner(lockPath, ownerPath, release)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error
    }
    if (await ownerIsGone(lockPath, ownerPath)) {
      // Age the lock so proper-lockfile's own stale check removes it on the next try.
      await fs.utimes(lockPath, 0, 0).catch(() => {})
      continue
    }
    if (Date.now() > deadline) {
      throw new RustyError(`Another rusty build in ${project.root} has held its lock for 30 minutes.`, {
        hint: `If no other rusty is running, delete ${lockPath} and try again.`,
      })
    }
    if (!told) reporter.info('Another rusty build is running in this project; waiting for it to finish')
    told = true
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS))
  }
}

async function recordOwner(lockPath: string, ownerPath: string, release: () => Promise<void>): Promise<() => Promise<void>> {
  const { ino } = await fs.stat(lockPath)
  const owner: LockOwner = { pid: process.pid, hostname: os.hostname(), lock: ino }
  await fs.writeFile(ownerPath, JSON.stringify(owner))
  return async () => {
    await fs.rm(ownerPath, { force: true })
    await release()
  }
}

/**
 * True when the lock's owner record names a process on this host that no
 * longer runs, and the record belongs to the lock folder there now.
 */
async function ownerIsGone(lockPath: string, ownerPath: string): Promise<boolean> {
  let owner: LockOwner
  let lock
  try {
    owner = JSON.parse(await fs.readFile(ownerPath, 'utf8')) as LockOwner
    lock = await fs.stat(lockPath)
  } catch {
    return false
  }
  if (owner.hostname !== os.hostname() || owner.lock !== lock.ino || owner.pid === process.pid) return false
  try {
    process.kill(owner.pid, 0)
    return false
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'ESRCH'
  }
}
