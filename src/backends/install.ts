import path from 'node:path'
import { copyFileAtomic, fsExtra, installFile, writeFileAtomic } from '../util/files.js'
import { templatesRoot } from '../util/paths.js'

/**
 * One routine installs what every backend generates (as maturin's
 * `binding_generator` hands each generator's `GeneratorOutput` to one
 * writer): each backend describes the files of its binding, and
 * {@link installOutput} puts them in place by the one rule, library first,
 * loader last, each file by rename.
 */

/**
 * What a file is to the binding, which decides when it is installed: the
 * compiled `library` first, then the `runtime` files from
 * `templates/runtime/` and the `glue` that import the library or runtime,
 * then `typings`, and the `loader` (what the package imports) last, so a
 * file never imports one that is not there yet.
 */
export type OutputRole = 'library' | 'runtime' | 'glue' | 'typings' | 'loader'

const ORDER: readonly OutputRole[] = ['library', 'runtime', 'glue', 'typings', 'loader']

/** One file of a generator's output. */
export interface OutputFile {
  /** Absolute path it is installed at (in `native/`, or `rusty build`'s artifacts folder). */
  dest: string
  role: OutputRole
  /** Where its bytes come from: a file (copied), or the content itself. */
  source: { file: string } | { content: string | Buffer }
  /**
   * For a `file` source: copy it without reading either file, and count it
   * as changed (a multi-MiB library whose change a stamp already told).
   * Default: compare the bytes and skip an identical file.
   */
  unchecked?: boolean
}

/** What a backend's generator hands to {@link installOutput}. */
export interface GeneratorOutput {
  files: OutputFile[]
  /**
   * Files or folders that must not stay beside the new binding (the glue of
   * another output target), removed after every file is in place.
   */
  stale?: string[]
}

/** What {@link installOutput} did. */
export interface InstallReport {
  /** Every destination, in install order (so a `library` comes first). */
  files: string[]
  /** The destinations whose bytes changed, and the stale paths removed. */
  changed: string[]
}

/**
 * Installs `output`: its files in the order of their {@link OutputRole}
 * (stable within a role), each atomically by a temporary sibling and a
 * rename (`src/util/files.ts`), skipping those whose bytes are already
 * there; then removes the stale paths that exist.
 *
 * @returns every destination and the ones that changed
 * @throws the file system's error; the files installed before it stay (each
 *   is whole: old or new), the loader is never ahead of its library
 */
export async function installOutput(output: GeneratorOutput): Promise<InstallReport> {
  const files = [...output.files].sort((a, b) => ORDER.indexOf(a.role) - ORDER.indexOf(b.role))
  const changed: string[] = []
  for (const file of files) {
    let replaced: boolean
    if ('content' in file.source) {
      replaced = await writeFileAtomic(file.dest, file.source.content)
    } else if (file.unchecked) {
      await copyFileAtomic(file.source.file, file.dest)
      replaced = true
    } else {
      replaced = await installFile(file.source.file, file.dest)
    }
    if (replaced) changed.push(file.dest)
  }
  for (const stale of output.stale ?? []) {
    const fse = await fsExtra()
    if (!(await fse.pathExists(stale))) continue
    await fse.remove(stale)
    changed.push(stale)
  }
  return { files: files.map((file) => file.dest), changed }
}

/**
 * The runtime file `name` of `templates/runtime/` (napi's `classes.js` and
 * `panic-codes.js`, wasm's `panics.js`, koffi's `platform.js` and `ffi.js`),
 * installed as `<nativeDir>/<name>`.
 */
export function runtimeFile(nativeDir: string, name: string): OutputFile {
  return { dest: path.join(nativeDir, name), role: 'runtime', source: { file: runtimeSource(name) } }
}

/** Absolute path of the runtime file `name` in rusty's `templates/runtime/`. */
export function runtimeSource(name: string): string {
  return path.join(templatesRoot, 'runtime', name)
}
