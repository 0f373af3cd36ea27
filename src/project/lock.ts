import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import lockfile from 'proper-lockfile'
import { RustyError } from '../errors.js'
import { atPath } from '../util/files.js'
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
 * Lets go of a lock held by this process (the owner record, then the lock
 * folder). Named so: in rusty "release" means only cargo's release profile.
 */
export type Unlock = () => Promise<void>

/**
 * Takes the project's build lock (`.rusty/build.lock`, a proper-lockfile lock
 * whose mtime is refreshed while held), so two `rusty develop` runs in one
 * project take turns instead of writing `native/` at the same time.
 *
 * The holder records its pid in `.rusty/build.lock.owner`. A waiting run
 * checks that pid on every retry: when the process is gone (killed with
 * SIGKILL, say, so it could not let go of the lock), the lock is taken over at
 * once. A lock whose owner cannot be checked (another host, no record) is
 * taken over when proper-lockfile finds it stale, after 20 s without a refresh.
 *
 * A file (not a folder) at `.rusty/build.lock` is no lock (proper-lockfile's
 * locks are folders): it is damage, and is removed before locking.
 *
 * @returns the lock's {@link Unlock}
 * @throws RustyError when the lock is still held after 30 minutes, or when
 *   `.rusty` is not a folder (a file of that name is the user's, left alone)
 */
export async function acquireBuildLock(project: Project, reporter: Reporter): Promise<Unlock> {
  await makeStateDir(project.stateDir)
  const lockPath = path.join(project.stateDir, 'build.lock')
  const ownerPath = `${lockPath}.owner`
  await removeNonFolder(lockPath, reporter)
  const options = { lockfilePath: lockPath, stale: STALE_MS, realpath: false }
  const deadline = Date.now() + WAIT_MS
  let told = false
  for (;;) {
    try {
      const unlockFolder = await lockfile.lock(project.stateDir, options)
      return await recordOwner(lockPath, ownerPath, unlockFolder)
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

/** Creates the project's state folder `.rusty/`, refusing clearly when a file of that name is there. */
async function makeStateDir(stateDir: string): Promise<void> {
  try {
    await fs.mkdir(stateDir, { recursive: true })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'EEXIST' && code !== 'ENOTDIR') throw error
    throw new RustyError(`${stateDir} is not a folder; rusty keeps the project's build state in a folder of that name.`, {
      hint: `Move or delete ${stateDir}; rusty makes the folder on the next build.`,
    })
  }
}

/**
 * Removes whatever is at `lockPath` when it is not a folder (a file left by
 * a copy, an editor, a hand): proper-lockfile would take it for a lock held
 * by someone, wait 20 s for it to go stale, then fail to remove it with
 * ENOTDIR on every run. The path is rusty's own, inside rusty's own folder.
 */
async function removeNonFolder(lockPath: string, reporter: Reporter): Promise<void> {
  const stat = await fs.lstat(lockPath).catch(() => undefined)
  if (!stat || stat.isDirectory()) return
  reporter.warn(`${lockPath} was a file, not a lock; removed it.`)
  await fs.rm(lockPath, { force: true })
}

/**
 * Writes the owner record of the lock just taken (whose proper-lockfile
 * unlock is `unlockFolder`), and returns the whole lock's {@link Unlock}.
 * When the record cannot be written (a full disk), the lock is let go
 * again and the record removed before the error goes on: a lock kept with
 * no record would make the next run wait 20 s for it to go stale.
 */
async function recordOwner(lockPath: string, ownerPath: string, unlockFolder: Unlock): Promise<Unlock> {
  const unlock: Unlock = async () => {
    await fs.rm(ownerPath, { force: true })
    await unlockFolder()
  }
  try {
    const { ino } = await fs.stat(lockPath)
    const owner: LockOwner = { pid: process.pid, hostname: os.hostname(), lock: ino }
    await atPath(ownerPath, () => fs.writeFile(ownerPath, JSON.stringify(owner)))
  } catch (error) {
    await unlock().catch(() => {})
    throw error
  }
  return unlock
}

/**
 * True when the lock's owner record names a process on this host that no
 * longer runs, and the record belongs to the lock folder there now.
 */
async function ownerIsGone(lockPath: string, ownerPath: string): Promise<boolean> {
  let owner: Partial<LockOwner> | null
  let lock
  try {
    owner = JSON.parse(await fs.readFile(ownerPath, 'utf8')) as Partial<LockOwner> | null
    lock = await fs.stat(lockPath)
  } catch {
    return false
  }
  // A damaged record (not an object, no pid) cannot vouch that the owner is gone.
  if (typeof owner !== 'object' || owner === null || typeof owner.pid !== 'number') return false
  if (owner.hostname !== os.hostname() || owner.lock !== lock.ino || owner.pid === process.pid) return false
  try {
    process.kill(owner.pid, 0)
    return false
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'ESRCH'
  }
}
