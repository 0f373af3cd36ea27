import path from 'node:path'
import { templatesRoot } from '../util/paths.js'

/**
 * What every backend's generator describes (as maturin's `binding_generator`
 * hands each generator's `GeneratorOutput` to one writer): the files of its
 * binding, each with its role. The pipeline (`src/pipeline/run.ts`) chooses
 * where they go and `src/pipeline/transaction.ts` puts them there.
 */

/**
 * What a file is to the binding, which decides when it is placed: the
 * compiled `library` first, then the `runtime` files from
 * `templates/runtime/` and the `glue` that import the library or runtime,
 * then `typings`, and the `loader` (what the package imports) last, so a
 * file never imports one that is not there yet.
 */
export type OutputRole = 'library' | 'runtime' | 'glue' | 'typings' | 'loader'

/** The roles in placing order. */
export const ROLE_ORDER: readonly OutputRole[] = ['library', 'runtime', 'glue', 'typings', 'loader']

/** One file of a generator's output. */
export interface OutputFile {
  /** Its path relative to the package's `native/` folder (the pipeline may place the library elsewhere). */
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

/** `files` sorted by {@link ROLE_ORDER} (stable within a role). */
export function byRole<T extends { role: OutputRole }>(files: readonly T[]): T[] {
  return [...files].sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role))
}

/**
 * The runtime file `name` of `templates/runtime/` (napi's `classes.js` and
 * `panic-codes.js`, wasm's `panics.js`, koffi's `platform.js`, `artifact-name.js` and `ffi.js`),
 * placed as `native/<name>`.
 */
export function runtimeFile(name: string): OutputFile {
  return { dest: name, role: 'runtime', source: { file: runtimeSource(name) } }
}

/** Absolute path of the runtime file `name` in rusty's `templates/runtime/`. */
export function runtimeSource(name: string): string {
  return path.join(templatesRoot, 'runtime', name)
}
