import fs from 'node:fs'
import path from 'node:path'
import { RustyError } from '../errors.js'
import { BACKEND_NAMES, DEFAULT_BACKEND, isBackendName, type BackendName } from './backend-table.js'

/**
 * The `"rusty"` block of a project's package.json, e.g.
 * `{ "backend": "napi", "crate": "rust" }`.
 */
export interface RustyConfig {
  /** Which backend builds the crate. */
  backend: BackendName
  /** The crate's folder, relative to the package root (holds Cargo.toml). */
  crate: string
  /** wasm only: the wasm target (`universal`, `nodejs`, `web`, `bundler`); `--wasm-target` overrides it. */
  wasmTarget?: string
  /**
   * koffi only: the crate's own C header (e.g. `include/rure.h`), relative to
   * the crate's folder, read instead of the one cbindgen writes (for a crate
   * whose functions cbindgen cannot see, such as macro-made ones).
   */
  header?: string
  /**
   * The oldest glibc a `linux-*-gnu` release artifact may need, `major.minor`
   * (`"glibc": "2.28"`); default {@link DEFAULT_GLIBC_FLOOR}. `rusty build`
   * links against it and refuses an artifact that needs more
   * (src/pipeline/glibc-floor.ts).
   */
  glibc: string
}

/**
 * The glibc floor when the `"rusty"` block names none: 2.17, the floor of
 * napi-rs's cross toolchain (`--use-napi-cross`) and of manylinux2014
 * (CentOS 7), below every glibc-based Linux still supported (RHEL 8 has
 * 2.28, Debian 11 and Ubuntu 20.04 2.31, Amazon Linux 2 2.26).
 */
export const DEFAULT_GLIBC_FLOOR = '2.17'

/** True for a glibc floor as the `"glibc"` setting spells it: `major.minor` (`2.17`, `2.28`). */
export function isGlibcFloor(value: unknown): value is string {
  return typeof value === 'string' && /^\d+\.\d+$/.test(value)
}

/** Whether a `major.minor` floor is below {@link DEFAULT_GLIBC_FLOOR}, the oldest glibc rusty links for (its cross toolchain's sysroot, and Rust's own minimum). */
function belowLowestFloor(floor: string): boolean {
  const [major = 0, minor = 0] = floor.split('.').map(Number)
  const [lowMajor = 0, lowMinor = 0] = DEFAULT_GLIBC_FLOOR.split('.').map(Number)
  return major < lowMajor || (major === lowMajor && minor < lowMinor)
}

/** A rusty project found on disk. All paths are absolute. */
export interface Project {
  /** The package root: the folder holding package.json. */
  root: string
  /** `<root>/package.json`. */
  packageJsonPath: string
  /** package.json as parsed. */
  packageJson: Record<string, unknown> & { name: string; version?: string }
  /** The validated `"rusty"` block. */
  config: RustyConfig
  /** The crate's folder. */
  crateDir: string
  /** `<crateDir>/Cargo.toml`. */
  manifestPath: string
  /** Where the built binding (artifact, loader, typings) lives: `<root>/native`. */
  nativeDir: string
  /** rusty's private working folder: `<root>/.rusty` (staging, stamps, lock). */
  stateDir: string
}

/**
 * Finds the rusty project that contains `cwd`: the nearest package.json,
 * walking up, that has a `"rusty"` block. A package.json without one is passed
 * over (a nested app or fixture), so `develop` works from any folder below the
 * project root, including the crate's own folder.
 *
 * @throws RustyError when there is none, or when the block or package.json is
 *   malformed (the message names the file)
 */
export function findProject(cwd: string): Project {
  let dir = path.resolve(cwd)
  for (;;) {
    const candidate = path.join(dir, 'package.json')
    if (fs.existsSync(candidate)) {
      const pkg = readPackageJson(candidate)
      if (pkg.rusty !== undefined) return loadProject(dir, pkg)
    }
    const parent = path.dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  throw new RustyError(`Not inside a rusty project: no package.json with a "rusty" block in ${path.resolve(cwd)} or above.`, {
    hint: 'Create one with `rusty new <dir>`, or run this from inside your project.',
  })
}

/**
 * Reads and parses a package.json, with an error naming the file when it is
 * not a JSON object. A leading byte order mark is skipped, as npm does
 * (Windows editors write one; JSON.parse rejects it).
 *
 * @throws RustyError when the file cannot be read, is not JSON, or is not an object
 */
export function readPackageJson(file: string): Record<string, unknown> {
  let parsed: unknown
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''))
  } catch (error) {
    throw new RustyError(`Cannot read ${file}: ${(error as Error).message}`, { hint: `Fix the JSON of ${file}, then run the command again.` })
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new RustyError(`${file} does not hold a JSON object.`)
  }
  return parsed as Record<string, unknown>
}

function loadProject(root: string, pkg: Record<string, unknown>): Project {
  const file = path.join(root, 'package.json')
  const block = pkg.rusty
  const bad = (what: string) =>
    new RustyError(`Invalid "rusty" block in ${file}: ${what}.`, {
      hint: `It should look like "rusty": { "backend": "${DEFAULT_BACKEND}", "crate": "rust" }.`,
    })
  if (block === null || typeof block !== 'object' || Array.isArray(block)) throw bad('it must be an object')
  const { backend, crate, wasmTarget, header, glibc = DEFAULT_GLIBC_FLOOR } = block as Record<string, unknown>
  if (typeof backend !== 'string' || !isBackendName(backend)) {
    throw bad(`"backend" must be one of ${BACKEND_NAMES.join(', ')} (found ${JSON.stringify(backend)})`)
  }
  if (typeof crate !== 'string' || crate === '') throw bad(`"crate" must name the crate's folder (found ${JSON.stringify(crate)})`)
  if (wasmTarget !== undefined && typeof wasmTarget !== 'string') throw bad(`"wasmTarget" must be a string (found ${JSON.stringify(wasmTarget)})`)
  if (header !== undefined && (typeof header !== 'string' || header === '')) throw bad(`"header" must name a C header file, relative to the crate's folder (found ${JSON.stringify(header)})`)
  if (!isGlibcFloor(glibc)) {
    throw new RustyError(`Invalid "rusty" block in ${file}: "glibc" must be a glibc version as major.minor, e.g. "2.17" or "2.28" (found ${JSON.stringify(glibc)}).`, {
      exitCode: 2,
      hint: `Set "glibc" to the oldest glibc your users' Linux has (default ${DEFAULT_GLIBC_FLOOR}), or remove it.`,
    })
  }
  if (belowLowestFloor(glibc)) {
    throw new RustyError(`Invalid "rusty" block in ${file}: "glibc" is ${glibc}, below ${DEFAULT_GLIBC_FLOOR}, the oldest glibc rusty can link for (its cross toolchain's sysroot, and Rust's own minimum).`, {
      exitCode: 2,
      hint: `Set "glibc": "${DEFAULT_GLIBC_FLOOR}" (or higher) in the "rusty" block.`,
    })
  }
  if (typeof pkg.name !== 'string' || pkg.name === '') {
    throw new RustyError(`${file} has no "name"; rusty needs it to name the package.`)
  }
  const crateDir = path.resolve(root, crate)
  const manifestPath = path.join(crateDir, 'Cargo.toml')
  if (!fs.existsSync(manifestPath)) {
    throw new RustyError(`The crate folder named in ${file} has no Cargo.toml: ${manifestPath}.`)
  }
  return {
    root,
    packageJsonPath: file,
    packageJson: pkg as Project['packageJson'],
    config: { backend, crate, ...(wasmTarget === undefined ? {} : { wasmTarget }), ...(header === undefined ? {} : { header: header as string }), glibc },
    crateDir,
    manifestPath,
    nativeDir: path.join(root, 'native'),
    stateDir: path.join(root, '.rusty'),
  }
}
