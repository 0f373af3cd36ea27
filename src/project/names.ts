import validateNpmName from 'validate-npm-package-name'
import { RustyError } from '../errors.js'

/** The names a new project gets from the one name the user typed. */
export interface ProjectNames {
  /** npm package name, e.g. `@acme/fast-math` (valid for a new npm package). */
  npmName: string
  /** Cargo package name, e.g. `fast-math` (the npm name without its scope). */
  crateName: string
  /** Rust library name as rustc sees it: `crateName` with `-` as `_`, e.g. `fast_math`. */
  libName: string
}

// Rust keywords (strict and reserved, 2021 edition; the Rust Reference,
// "Keywords"). Cargo refuses them as package names.
const RUST_KEYWORDS = new Set([
  'as', 'async', 'await', 'break', 'const', 'continue', 'crate', 'dyn', 'else', 'enum', 'extern',
  'false', 'fn', 'for', 'if', 'impl', 'in', 'let', 'loop', 'match', 'mod', 'move', 'mut', 'pub',
  'ref', 'return', 'self', 'Self', 'static', 'struct', 'super', 'trait', 'true', 'type', 'unsafe',
  'use', 'where', 'while', 'abstract', 'become', 'box', 'do', 'final', 'macro', 'override', 'priv',
  'typeof', 'unsized', 'virtual', 'yield', 'try', 'gen',
])

// Names of the built-in libraries a crate would shadow; `cargo new` refuses
// them (cargo's `restricted_names`).
const RUST_BUILTIN_LIBS = new Set(['test', 'std', 'core', 'alloc', 'proc_macro', 'proc-macro'])

/** crates.io's limit on a crate name's length (characters). */
export const MAX_CRATE_NAME_LENGTH = 64

/**
 * Checks `name` as an npm package name (the rules for new packages: lowercase,
 * URL-safe, at most 214 characters; from validate-npm-package-name) and its
 * unscoped part as a Cargo package name (ASCII letters, digits, `-` and `_`,
 * not starting with a digit, not a Rust keyword or built-in library, at most
 * 64 characters as on crates.io).
 *
 * @returns the npm name, crate name and lib name derived from `name`
 * @throws RustyError (exit 2) with one line saying which rule failed
 */
export function validateProjectName(name: string): ProjectNames {
  const shown = JSON.stringify(name)
  if (name.trim() === '') {
    throw invalid(shown, 'the name is empty')
  }
  const npm = validateNpmName(name)
  if (!npm.validForNewPackages) {
    const reason = [...(npm.errors ?? []), ...(npm.warnings ?? [])][0] ?? 'not a valid npm package name'
    throw invalid(shown, reason)
  }
  const crateName = name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name
  if (!/^[A-Za-z0-9_-]+$/.test(crateName)) {
    throw invalid(shown, `"${crateName}" is not a valid Rust crate name: use only letters, digits, "-" and "_"`)
  }
  if (/^[0-9]/.test(crateName)) {
    throw invalid(shown, 'a Rust crate name cannot start with a digit')
  }
  const libName = crateName.replace(/-/g, '_')
  if (RUST_KEYWORDS.has(crateName) || RUST_KEYWORDS.has(libName)) {
    throw invalid(shown, `"${crateName}" is a Rust keyword`)
  }
  if (RUST_BUILTIN_LIBS.has(crateName) || RUST_BUILTIN_LIBS.has(libName)) {
    throw invalid(shown, `"${crateName}" is the name of a Rust built-in library`)
  }
  if (crateName.length > MAX_CRATE_NAME_LENGTH) {
    throw invalid(shown, `a Rust crate name is at most ${MAX_CRATE_NAME_LENGTH} characters (this one has ${crateName.length})`)
  }
  return { npmName: name, crateName, libName }
}

function invalid(shown: string, reason: string): RustyError {
  return new RustyError(`Invalid project name ${shown}: ${reason}.`, {
    exitCode: 2,
    hint: 'Use a lowercase name like "my-lib" or "@scope/my-lib".',
  })
}
