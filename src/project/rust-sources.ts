import fs from 'node:fs'
import path from 'node:path'

/**
 * Runs `scan` over every `.rs` file below `<crateDir>/src` (sorted by path)
 * and returns what it found, each with `file`, the path relative to the
 * crate (`src/lib.rs`, `/`-separated). [] when there is no `src/`. For the
 * checks `develop` makes on a crate's source (a warning, never a build step).
 *
 * @param crateDir the crate's folder (holding Cargo.toml)
 * @param scan finds items in one file's text
 */
export function scanRustSources<T extends object>(crateDir: string, scan: (source: string) => T[]): (T & { file: string })[] {
  const src = path.join(crateDir, 'src')
  if (!fs.existsSync(src)) return []
  const files = fs
    .readdirSync(src, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.rs'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort()
  const found: (T & { file: string })[] = []
  for (const file of files) {
    const rel = path.relative(crateDir, file).split(path.sep).join('/')
    for (const item of scan(fs.readFileSync(file, 'utf8'))) found.push({ file: rel, ...item })
  }
  return found
}
