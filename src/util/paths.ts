import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The nearest folder at or above `dir` that holds both a package.json and a
 * `templates/` folder: rusty's own package root, whether this code runs from
 * `src/util/` (tests), `dist/util/` (tsc's output) or a bundled chunk in
 * `dist/chunks/`.
 */
function findPackageRoot(dir: string): string {
  for (let current = dir; ; current = path.dirname(current)) {
    if (fs.existsSync(path.join(current, 'package.json')) && fs.existsSync(path.join(current, 'templates'))) return current
    if (path.dirname(current) === current) throw new Error(`rusty's package root (package.json + templates/) is not above ${dir}`)
  }
}

/** Absolute path of rusty's own package root (the folder holding its package.json). */
export const packageRoot = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)))

/** Absolute path of `templates/` shipped with rusty. */
export const templatesRoot = path.join(packageRoot, 'templates')
