import fs from 'node:fs/promises'
import path from 'node:path'
import lockfile from 'proper-lockfile'
import { RustyError } from '../errors.js'
import type { Project } from './config.js'
import type { Reporter } from '../util/reporter.js'

/** How long a second build waits for the first one (ms). */
const WAIT_MS = 30 * 60 * 1000

/**
 * Takes the project's build lock (`.rusty/build.lock`, a proper-lockfile lock
 * whose mtime is refreshed while held), so two `rusty develop` runs in one
 * project take turns instead of writing `native/` at the same time. A lock
 * left by a killed process goes stale after 20 s and is taken over.
 *
 * @returns a function that releases the lock
 * @throws RustyError when the lock is still held after 30 minutes
 */
export async function acquireBuildLock(project: Project, reporter: Reporter): Promise<() => Promise<void>> {
  await fs.mkdir(project.stateDir, { recursive: true })
  const options = { lockfilePath: path.join(project.stateDir, 'build.lock'), stale: 20_000, realpath: false }
  try {
    return await lockfile.lock(project.stateDir, options)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error
  }
  reporter.info('Another rusty build is running in this project; waiting for it to finish')
  try {
    return await lockfile.lock(project.stateDir, {
      ...options,
      retries: { retries: Math.ceil(WAIT_MS / 500), factor: 1, minTimeout: 500, maxTimeout: 500 },
    })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error
    throw new RustyError(`Another rusty build in ${project.root} has held its lock for 30 minutes.`, {
      hint: `If no other rusty is running, delete ${options.lockfilePath} and try again.`,
    })
  }
}
