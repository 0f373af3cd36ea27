import fs from 'node:fs'
import path from 'node:path'

/** package.json's entry point fields (npm's package.json docs; Node's "Package entry points"). */
export interface EntryFields {
  main?: unknown
  types?: unknown
  exports?: unknown
}

/** What {@link pointEntries} decided. */
export interface EntryDecision {
  /** The fields to write (only those that change). */
  fields: EntryFields
  /** One line per entry left as it was, saying which and why. */
  left: string[]
  /** Set when the package's own `dist/index.js` is an entry: rusty develop writes its wrapper there. */
  ownDist: boolean
}

/** rusty's compiled wrapper, where every backend's package has it (src/project/package-json.ts). */
const WRAPPER = 'dist/index.js'

/**
 * Points the package's entry points at rusty's compiled wrapper where they
 * name the old setup, so the package imports by its name after init and
 * develop. An entry is old when its file is not there (a wasm-pack `pkg` folder
 * output, a napi-rs `.node` loader never built), is one init replaces
 * (`replaced`: napi-rs's loader and typings), or is a glue file importing
 * wasm-pack's `./pkg…/` output. `exports` may be a string, an object of
 * conditions (no `"."`), or subpaths: only the `"."` entry changes, every
 * other subpath the package exports stays. An entry that is the package's
 * own existing file stays, with a line saying so.
 *
 * @param fresh the new package's `main`, `types` and `exports` (rusty's wrapper)
 */
export function pointEntries(dir: string, existing: EntryFields, fresh: Required<EntryFields>, replaced: readonly string[]): EntryDecision {
  const isOld = (target: unknown) => typeof target === 'string' && oldTarget(dir, target, replaced)
  const left: string[] = []
  const fields: EntryFields = {}
  let ownMain: unknown
  const freshRoot = (fresh.exports as Record<string, unknown>)['.']

  if (existing.main === undefined && existing.exports === undefined) return { fields: { ...fresh }, left, ownDist: false }

  if (existing.main === undefined || isOld(existing.main)) fields.main = fresh.main
  else if (!samePath(existing.main, WRAPPER)) ownMain = existing.main
  // The package's entry is (now) the wrapper: its typings and exports go with it.
  const mainIsWrapper = fields.main !== undefined || samePath(existing.main, WRAPPER)
  if (existing.types === undefined ? mainIsWrapper : isOld(existing.types)) fields.types = fresh.types

  const exports = existing.exports
  if (exports === undefined) {
    if (mainIsWrapper) fields.exports = fresh.exports
  } else if (typeof exports === 'string' || isConditions(exports)) {
    if (targets(exports).some(isOld)) fields.exports = { '.': freshRoot, './package.json': './package.json' }
    else left.push(`"exports": ${JSON.stringify(exports)} (the package's own files; add \`export * from './dist/index.js'\` to them or point "exports" at ./dist/index.js)`)
  } else if (exports !== null && typeof exports === 'object') {
    const subpaths = exports as Record<string, unknown>
    if (subpaths['.'] === undefined || targets(subpaths['.']).some(isOld)) fields.exports = { '.': freshRoot, ...withoutRoot(subpaths) }
    else left.push(`"exports"["."]: ${JSON.stringify(subpaths['.'])} (the package's own files; add \`export * from './dist/index.js'\` to them or point it at ./dist/index.js)`)
  }

  if (ownMain !== undefined) {
    // Node reads "exports" before "main"; bundlers and older tools read "main".
    const why = fields.exports !== undefined ? 'Node now loads rusty\'s wrapper through "exports"; tools that read only "main" still load it' : 'importing the package by its name loads it, not rusty\'s wrapper'
    left.unshift(`"main": ${JSON.stringify(ownMain)} (the package's own file; ${why})`)
  }
  const entries = [existing.main, ...targets(existing.exports)].filter((t) => !isOld(t))
  const ownDist = entries.some((t) => typeof t === 'string' && samePath(t, WRAPPER)) && fs.existsSync(path.join(dir, WRAPPER))
  return { fields, left, ownDist }
}

/** `exports` given as conditions for the package root (`{ "import": …, "require": … }`): no key starts with `.`. */
function isConditions(exports: unknown): boolean {
  return exports !== null && typeof exports === 'object' && !Array.isArray(exports) && Object.keys(exports).every((key) => !key.startsWith('.'))
}

/** Every file path in an `exports` value (strings, condition objects, fallback arrays). */
function targets(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.flatMap(targets)
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(targets)
  return []
}

function withoutRoot(subpaths: Record<string, unknown>): Record<string, unknown> {
  const { ['.']: _root, ...rest } = subpaths
  return rest
}

/** `./dist/index.js` and `dist/index.js` name the same file. */
function samePath(a: unknown, b: string): boolean {
  return typeof a === 'string' && path.posix.normalize(a) === path.posix.normalize(b)
}

/** See {@link pointEntries}: whether `target` names the old setup. */
function oldTarget(dir: string, target: string, replaced: readonly string[]): boolean {
  const rel = path.posix.normalize(target)
  if (replaced.includes(rel)) return true
  // A pattern (`./*`) or a file rusty's develop writes is not the old setup.
  if (rel.includes('*') || rel.startsWith('dist/') || rel.startsWith('native/')) return false
  const file = path.join(dir, ...rel.split('/'))
  if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) return true
  if (!/\.[cm]?js$/.test(rel)) return false
  return /(?:from\s*|require\(\s*|import\(\s*)['"]\.\/pkg[^/'"]*\//.test(fs.readFileSync(file, 'utf8'))
}
