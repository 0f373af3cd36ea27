import fs from 'node:fs/promises'
import { rmSync } from 'node:fs'
import path from 'node:path'
import fse from 'fs-extra'
import { randomBytes } from 'node:crypto'
import { RustyError } from '../errors.js'
import type { RenderedFiles } from './templates.js'

/**
 * Checks that `dir` can receive a new project: it must not exist, or be an
 * empty folder, or a symbolic link to an empty folder (as create-vite takes
 * it: the project goes into the folder the link points to, and the link
 * stays). Nothing is created.
 *
 * @returns the folder to write the project to: `dir`, or the real folder of a link
 * @throws RustyError (exit 2) when `dir` is a file, a non-empty folder, or a
 *   link to nothing (a dangling link: rusty will not guess whether to create
 *   the folder it names)
 */
export async function assertEmptyTarget(dir: string): Promise<string> {
  const link = await fs.lstat(dir).catch(() => undefined)
  const stat = await fs.stat(dir).catch(() => undefined)
  if (link?.isSymbolicLink() && !stat) {
    const to = await fs.readlink(dir)
    throw new RustyError(`Cannot create the project in ${dir}: it is a symbolic link to ${to}, which does not exist.`, {
      exitCode: 2,
      hint: `Create the folder it points to (mkdir -p ${path.resolve(path.dirname(dir), to)}), or remove the link, then run rusty new again.`,
    })
  }
  if (!stat) return dir
  if (!stat.isDirectory()) {
    throw new RustyError(`Cannot create the project in ${dir}: a file with that name exists.`, { exitCode: 2 })
  }
  const entries = await fs.readdir(dir)
  if (entries.length > 0) {
    throw new RustyError(`Cannot create the project in ${dir}: the folder is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}).`, {
      exitCode: 2,
      hint: 'Choose a new folder name, or empty that folder first.',
    })
  }
  return link?.isSymbolicLink() ? fs.realpath(dir) : dir
}

/**
 * Writes `files` to `dir` all at once: they are written into a hidden staging
 * folder beside `dir`, which is then renamed to `dir`. A failure or Ctrl-C
 * while writing removes the staging folder, so `dir` is either complete or
 * untouched. An existing empty `dir` is replaced.
 *
 * @throws RustyError when the parent folder cannot be written (e.g. permissions)
 */
export async function writeProject(dir: string, files: RenderedFiles): Promise<void> {
  const parent = path.dirname(dir)
  try {
    await fs.mkdir(parent, { recursive: true })
  } catch (error) {
    throw new RustyError(`Cannot create ${parent}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`)
  }
  const staging = path.join(parent, `.${path.basename(dir)}.rusty-${randomBytes(4).toString('hex')}`)
  const cleanUp = () => {
    // Synchronous on purpose: this also runs from a signal handler. Retried,
    // since writes still in flight can refill a folder being removed (ENOTEMPTY).
    rmSync(staging, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 })
  }
  const onSignal = (signal: NodeJS.Signals) => {
    cleanUp()
    process.kill(process.pid, signal)
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    await fs.mkdir(staging)
    // outputFile creates each file's folders as needed.
    for (const [relative, content] of files) await fse.outputFile(path.join(staging, ...relative.split('/')), content)
    // rmdir, not a recursive remove: only an empty folder is ever replaced.
    await fs.rmdir(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error
    })
    await fse.move(staging, dir)
  } catch (error) {
    cleanUp()
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new RustyError(`Cannot write the project into ${parent}: permission denied (${code}).`)
    }
    throw error
  } finally {
    process.removeListener('SIGINT', onSignal)
    process.removeListener('SIGTERM', onSignal)
  }
}
