import fs from 'node:fs/promises'
import path from 'node:path'
import type fse from 'fs-extra'

/**
 * fs-extra, loaded on its first use. Only steps that change files need it,
 * and a no-op `rusty develop` changes none: loading it (73 KB with
 * graceful-fs, which patches every fs function) would cost every run ~3 ms
 * (BENCHMARKS.md §3).
 */
export async function fsExtra(): Promise<typeof fse> {
  return (await import('fs-extra')).default
}

/**
 * Installs `source` at `dest` by writing a temporary sibling and renaming it
 * over `dest`. The rename is atomic on one filesystem, so a reader (or a Node
 * process that has the old library mapped) sees either the old file or the
 * new one, never a half-written one. Skips the write when `dest` already has
 * the same bytes, so a no-op build changes no mtime.
 *
 * @param source file to install (left in place)
 * @param dest final path; its folder is created when missing
 * @returns true when `dest` was replaced, false when it was already identical
 */
export async function installFile(source: string, dest: string): Promise<boolean> {
  const bytes = await fs.readFile(source)
  return writeFileAtomic(dest, bytes)
}

/**
 * Writes `content` to `file` through a temporary sibling and a rename (see
 * {@link installFile}), with the write-file-atomic library: it keeps the
 * mode of the file it replaces, fsyncs before the rename, and removes its
 * temporary file on failure or exit. Skips the write when the file already
 * holds `content`; creates the file's folder when missing.
 *
 * @returns true when the file was written, false when it was already identical
 */
export async function writeFileAtomic(file: string, content: Buffer | string): Promise<boolean> {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content
  const current = await fs.readFile(file).catch(() => undefined)
  if (current && current.equals(bytes)) return false
  await fs.mkdir(path.dirname(file), { recursive: true })
  // Imported on the first write: a no-op develop writes nothing and should
  // not pay for loading it.
  const { default: writeFileAtomicLib } = await import('write-file-atomic')
  await atPath(file, () => writeFileAtomicLib(file, bytes))
  return true
}

/**
 * Runs the file operation `op` on `file`, naming `file` in a system error it
 * throws that names no path (Node's writes through a file handle, e.g.
 * ENOSPC from `fs.writeFile`, name none) or a temporary sibling of `file`
 * (as `path`, or as `dest` of a copy), so the error boundary says which file
 * could not be written, not a name that no longer exists.
 *
 * @throws what `op` throws
 */
export async function atPath<T>(file: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op()
  } catch (error) {
    const systemError = error as NodeJS.ErrnoException & { dest?: string }
    if (error instanceof Error && typeof systemError.code === 'string') {
      const isTemporary = (p: string | undefined) => p !== undefined && p !== file && path.dirname(p) === path.dirname(file) && path.basename(p).includes(path.basename(file))
      if (systemError.path === undefined || isTemporary(systemError.path)) systemError.path = file
      if (isTemporary(systemError.dest)) systemError.dest = file
    }
    throw error
  }
}

/**
 * Copies `source` to a temporary sibling of `dest` and renames it over
 * `dest` (atomic on one filesystem, like {@link installFile}), without reading
 * either file: for multi-MiB libraries whose change a stamp already told.
 */
export async function copyFileAtomic(source: string, dest: string): Promise<void> {
  await replaceViaTemp(dest, (temp) => fs.copyFile(source, temp))
}

/**
 * The one way rusty replaces a file: `fill` writes a temporary sibling of
 * `dest` (its folder is created when missing), which is then renamed over
 * `dest`; on any failure the temporary file is removed and `dest` is untouched.
 */
async function replaceViaTemp(dest: string, fill: (temp: string) => Promise<void>): Promise<void> {
  await fs.mkdir(path.dirname(dest), { recursive: true })
  // node:crypto is imported here, not above: loading it costs a no-op develop ~2.5 ms.
  const { randomBytes } = await import('node:crypto')
  const temp = path.join(path.dirname(dest), `.${path.basename(dest)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    await atPath(dest, () => fill(temp))
    await fs.rename(temp, dest)
  } catch (error) {
    await fs.rm(temp, { force: true })
    throw error
  }
}
