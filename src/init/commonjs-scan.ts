import fs from 'node:fs'
import path from 'node:path'
import { RustyError } from '../errors.js'

/** Folders the scan never enters: git's, installed packages, cargo's output. */
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules', 'target'])

/** CommonJS in a file's text: `require(`, `module.exports`, or an `exports.x =` assignment. */
const COMMONJS = /\brequire\s*\(|\bmodule\.exports\b|^\s*exports\.\w+\s*=/m

/** A first line that runs the file with Node (`#!/usr/bin/env node`, `#!/usr/bin/node --flag`). */
const NODE_SHEBANG = /^#!.*\bnode\b/

/**
 * The package's files (relative, `/`-separated, sorted) that use CommonJS
 * and so break once the package says `"type": "module"`: every `.js` file,
 * dotfiles (`.eslintrc.js`, `.mocharc.js`) and files in dot-folders
 * included, and extensionless scripts with a Node shebang (a `bin` entry,
 * which Node also reads by the package's `type`). Skipped: `.git`,
 * node_modules, target, and folders with their own package.json (their own
 * `type` decides). A plain text check: it may list a file that only
 * mentions `require(`, never misses one that uses it.
 */
export function commonJsFiles(dir: string): string[] {
  const found: string[] = []
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const file = rel ? `${rel}/${entry.name}` : entry.name
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name) && !fs.existsSync(path.join(dir, file, 'package.json'))) walk(file)
        continue
      }
      if (!entry.isFile()) continue
      const extensionless = !entry.name.slice(1).includes('.')
      if (!entry.name.endsWith('.js') && !extensionless) continue
      // An extensionless file is read only when its first line runs Node (it may be a large binary).
      if (extensionless && !NODE_SHEBANG.test(firstBytes(path.join(dir, file), 128))) continue
      if (COMMONJS.test(fs.readFileSync(path.join(dir, file), 'utf8'))) found.push(file)
    }
  }
  walk('')
  return found.sort()
}

/** The first `length` bytes of `file` as text (fewer when it is shorter). */
function firstBytes(file: string, length: number): string {
  const buffer = Buffer.alloc(length)
  const fd = fs.openSync(file, 'r')
  try {
    return buffer.toString('utf8', 0, fs.readSync(fd, buffer, 0, length, 0))
  } finally {
    fs.closeSync(fd)
  }
}

/**
 * Refuses to make a package an ES module while its own files use CommonJS,
 * listing every one of them (`ignore`: files init replaces, such as
 * napi-rs's loader).
 *
 * @throws RustyError (exit 2) naming each file and the fix
 */
export function assertNoCommonJs(dir: string, packageJsonPath: string, ignore: readonly string[]): void {
  const files = commonJsFiles(dir).filter((file) => !ignore.includes(file))
  if (files.length === 0) return
  throw new RustyError(`${packageJsonPath} is a CommonJS package and ${files.join(', ')} use${files.length === 1 ? 's' : ''} require/module.exports; rusty packages are ES modules.`, {
    exitCode: 2,
    hint: 'Rename those files to .cjs (or turn them into ES modules; a bin script without an extension: rename it to .cjs and update "bin"), then run rusty init again; it adds "type": "module".',
  })
}
