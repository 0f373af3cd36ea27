import fs from 'node:fs'
import path from 'node:path'
import { RustyError } from '../errors.js'
import type { RenderedFiles } from '../project/templates.js'

/** The file rusty compiles the wrapper with when the project has its own tsconfig.json. */
export const RUSTY_TSCONFIG = 'tsconfig.rusty.json'

/** rusty's smoke test in each template (templates/<backend>/test/, templates/init/test/). */
const SMOKE_TEST = /^test\/index\.test\.mjs$/

/**
 * The files init adds, from the rendered templates (paths `/`-separated,
 * relative to the project): with a crate already there (`crateInPlace`) the
 * template's `rust/` files go to the crate's folder, except its Cargo.toml
 * (merged instead) and its `src/` (the crate's code stays); rusty's
 * tsconfig.json becomes {@link RUSTY_TSCONFIG} beside the project's own; the
 * smoke test is left out when the project has its own tests (`ownTests`).
 */
export function planFiles(dir: string, rendered: RenderedFiles, options: { crateInPlace: boolean; ownTests: boolean }): RenderedFiles {
  const planned: RenderedFiles = new Map()
  for (const [file, content] of rendered) {
    const [top, ...rest] = file.split('/')
    if (options.ownTests && SMOKE_TEST.test(file)) continue
    if (!options.crateInPlace || top !== 'rust') planned.set(file, content)
    else if (rest[0] !== 'src' && rest.join('/') !== 'Cargo.toml') planned.set(rest.join('/'), content)
  }
  // The project's own tsconfig.json stays the project's (its tests, benchmarks,
  // editor); rusty compiles the wrapper with its own settings.
  const tsconfig = planned.get('tsconfig.json')
  if (tsconfig !== undefined && fs.existsSync(path.join(dir, 'tsconfig.json'))) {
    planned.delete('tsconfig.json')
    planned.set(RUSTY_TSCONFIG, tsconfig)
  }
  return planned
}

/**
 * Checks that every folder the `files` (relative, `/`-separated) go into is
 * a folder or not there yet: a file named `test` or `rust` where init puts
 * `test/` or `rust/` would fail the write half-way, after other files were
 * written. Runs before anything is written.
 *
 * @throws RustyError listing each file in the way
 */
export function assertFoldersFree(dir: string, files: Iterable<string>): void {
  const blocked = new Set<string>()
  for (const file of files) {
    const parts = file.split('/').slice(0, -1)
    for (let i = 1; i <= parts.length; i++) {
      const folder = parts.slice(0, i).join('/')
      const stat = fs.statSync(path.join(dir, folder), { throwIfNoEntry: false })
      if (!stat) break
      if (!stat.isDirectory()) {
        blocked.add(folder)
        break
      }
    }
  }
  if (blocked.size === 0) return
  const list = [...blocked].sort()
  throw new RustyError(`Cannot init ${dir}: ${list.join(', ')} ${list.length === 1 ? 'is a file' : 'are files'}, where rusty puts a folder; nothing was written.`, {
    hint: `Rename or move ${list.join(', ')}, then run rusty init again.`,
  })
}
