import { accessSync, constants, statSync, statfsSync, type Stats } from 'node:fs'
import { dirname } from 'node:path'
import { RustyError } from './errors.js'

// Node's system errors that are faults of the machine or of the files around
// the project, not bugs of rusty, as user-facing RustyErrors: used by the
// error boundary (src/boundary.ts).

/**
 * Faults of the machine, not of rusty, with what each means (the `code` of a
 * Node system error is the errno name; descriptions after strerror(3)).
 */
const SYSTEM_FAULTS: Record<string, { cause: string; hint: (where: string) => string }> = {
  ENOSPC: { cause: 'no space left on device', hint: (where) => `Free space on the file system that holds ${dirname(where)} (df -h ${dirname(where)}), then run the command again.` },
  EDQUOT: { cause: 'disk quota exceeded', hint: (where) => `Free space within your quota on the file system that holds ${dirname(where)}, then run the command again.` },
  EROFS: { cause: 'read-only file system', hint: (where) => `${where} is on a read-only file system: remount it read-write, or work on a copy of the project in a writable folder.` },
  EACCES: { cause: 'permission denied', hint: (where) => `Check the owner and permissions of ${where} (ls -ld); run rusty as the user who owns the project.` },
  EPERM: { cause: 'operation not permitted', hint: (where) => `Check the owner, permissions and attributes of ${where} (ls -ld, lsattr); run rusty as the user who owns the project.` },
}

/** What the syscall of a failed file operation was doing, for the message (`Cannot <verb> <path>`). */
const VERBS: Record<string, string> = {
  open: 'open',
  read: 'read',
  write: 'write',
  mkdir: 'create',
  mkdtemp: 'create a folder in',
  rename: 'rename',
  copyfile: 'copy',
  unlink: 'delete',
  rmdir: 'delete',
  rm: 'delete',
  utime: 'touch',
  futime: 'touch',
  chmod: 'change the mode of',
  symlink: 'link',
  link: 'link',
  scandir: 'list',
  opendir: 'list',
  stat: 'read',
  lstat: 'read',
  access: 'access',
  fsync: 'write',
}

/** The verb for a failed syscall (`spawn cargo`, as child_process names it, is running a program). */
function verbOf(syscall: string | undefined): string {
  if (syscall?.startsWith('spawn')) return 'run'
  return (syscall && VERBS[syscall]) ?? syscall ?? 'use'
}

/**
 * A Node system error (an `Error` with a string `code` and `syscall`, as
 * node:fs throws), found as `error` or anywhere in its cause chain, whose
 * code is a fault of the machine (ENOSPC, EDQUOT, EROFS, EACCES, EPERM), as a
 * RustyError (exit 1): `Cannot <verb> <path>: <cause> (<CODE>).` and a hint
 * with the fix. So is a file standing where a folder must be (ENOTDIR, or
 * EEXIST from mkdir), naming that file; and the limit of inotify watches
 * (ENOSPC from `watch`), with how to raise it. Undefined for anything else
 * (a bug stays a bug). Done once, here, because such a fault can happen at
 * any write of any command.
 */
export function asUserError(error: unknown): RustyError | undefined {
  const seen = new Set<unknown>()
  for (let e = error; e instanceof Error && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e)
    const { syscall, path, dest } = e as NodeJS.ErrnoException & { dest?: string }
    const code = codeOfMkdirFault(e as NodeJS.ErrnoException) ?? (e as NodeJS.ErrnoException).code
    if (code === 'ENOSPC' && syscall === 'watch') {
      return new RustyError(`Cannot watch ${path ?? 'the project'}: the system's limit of file watchers was reached (ENOSPC).`, {
        hint: 'Raise it (sudo sysctl fs.inotify.max_user_watches=524288), or close other programs that watch files.',
      })
    }
    const blocker = (code === 'ENOTDIR' || (code === 'EEXIST' && syscall === 'mkdir')) && (fileInTheWay(dest) ?? fileInTheWay(path))
    if (blocker) {
      return new RustyError(`Cannot ${verbOf(syscall)} ${dest ?? path}: ${blocker} is a file, not a folder (${code}).`, {
        hint: `Move or delete ${blocker}, then run the command again.`,
      })
    }
    const fault = typeof code === 'string' ? SYSTEM_FAULTS[code] : undefined
    if (!fault) continue
    const verb = verbOf(syscall)
    const target = path ? `${path}${dest ? ` to ${dest}` : ''}` : undefined
    const message = target ? `Cannot ${verb} ${target}: ${fault.cause} (${code}).` : `A file operation (${syscall ?? 'unknown'}) failed: ${fault.cause} (${code}).`
    return new RustyError(message, { hint: fault.hint(dest ?? path ?? process.cwd()) })
  }
  return undefined
}

/** The nearest of `file` and its parents that exists and is not a folder: what stands where a folder must be. */
function fileInTheWay(file: string | undefined): string | undefined {
  for (let at = file; at && dirname(at) !== at; at = dirname(at)) {
    const stat = statOrUndefined(at)
    if (stat) return stat.isDirectory() ? undefined : at
  }
  return undefined
}

/** `file`'s stat, or undefined when it cannot be statted (missing, or ENOTDIR: a parent is a file). Never throws: it runs inside the error boundary. */
function statOrUndefined(file: string): Stats | undefined {
  try {
    return statSync(file, { throwIfNoEntry: false })
  } catch {
    return undefined
  }
}

/**
 * The real fault behind Node's recursive `mkdir` failing with ENOENT though
 * the folder's parent exists: Node reports EROFS, EACCES and ENOSPC there as
 * ENOENT (nodejs/node#47098, #31481, #42808). Found without writing
 * anything, from the nearest existing ancestor: access(2) for writing says
 * EROFS or EACCES, and statfs(2) with no free block or inode means ENOSPC.
 *
 * @returns the errno name, or undefined when the error is not that case or no fault shows
 */
function codeOfMkdirFault(error: NodeJS.ErrnoException): string | undefined {
  if (error.code !== 'ENOENT' || error.syscall !== 'mkdir' || !error.path) return undefined
  let ancestor = dirname(error.path)
  while (!statOrUndefined(ancestor)) {
    if (dirname(ancestor) === ancestor) return undefined
    ancestor = dirname(ancestor)
  }
  try {
    accessSync(ancestor, constants.W_OK)
  } catch (accessError) {
    const code = (accessError as NodeJS.ErrnoException).code
    return code && code in SYSTEM_FAULTS ? code : undefined
  }
  try {
    const stats = statfsSync(ancestor)
    if (stats.bavail === 0 || stats.ffree === 0) return 'ENOSPC'
  } catch {
    // statfs is not available everywhere: no more to say.
  }
  return undefined
}
