import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import envPaths from 'env-paths'
import { RustyError } from '../../errors.js'
import type { Reporter } from '../../util/reporter.js'
import { rustStdDir } from '../../util/rust-std.js'
import { hashKey, readFreshOutputs, writeStamp } from '../../util/stamp.js'
// execa is imported where a process is started, not above: a no-op develop
// starts none, and loading execa's bundle costs more than the rest of this
// backend (BENCHMARKS.md §3).

/** The target triple wasm-bindgen works with. */
export const WASM_TRIPLE = 'wasm32-unknown-unknown'

/**
 * Checks that the Rust toolchain cargo will use (honouring RUSTUP_TOOLCHAIN,
 * RUSTC and rust-toolchain files, as cargo does) has the standard library for
 * wasm32-unknown-unknown: `<rustc --print sysroot>/lib/rustlib/<target>/lib`.
 *
 * With `stateDir`, a check that passed is recorded in
 * `<stateDir>/wasm-target-stamp.json` with what picks the toolchain (the
 * environment, as a sha256 digest, the rust-toolchain files above `cwd` and rustup's
 * settings.toml, by size and mtime) and the target's library folder; while
 * none of them changed, the check is not repeated and rustc is not started.
 *
 * @throws RustyError with the fix (`rustup target add ...`) when it is missing
 */
export async function ensureWasmTarget(cwd: string, stateDir?: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const stampFile = stateDir ? path.join(stateDir, 'wasm-target-stamp.json') : undefined
  const selectors = toolchainSelectors(cwd, env)
  // A digest, not the values: the stamp lives in the project (.rusty/).
  const key = await hashKey({ selectors, env: ['RUSTUP_TOOLCHAIN', 'RUSTC', 'RUSTUP_HOME', 'CARGO_HOME', 'PATH'].map((name) => env[name]) })
  if (stampFile && (await readFreshOutputs(stampFile, key, selectors))) return
  const rustc = env.RUSTC ?? 'rustc'
  const { execa } = await import('execa')
  const result = await execa(rustc, ['--print', 'sysroot'], { cwd, env, reject: false })
  if (result.failed) {
    throw new RustyError(`Cannot ask rustc for its sysroot: ${result.shortMessage}`, {
      hint: 'Install Rust with rustup (https://rustup.rs).',
    })
  }
  const lib = rustStdDir(result.stdout.trim(), WASM_TRIPLE)
  if (!fs.existsSync(lib)) {
    const version = await execa(rustc, ['--version'], { cwd, env, reject: false })
    throw new RustyError(`The Rust toolchain (${version.stdout.trim() || rustc}) cannot build for ${WASM_TRIPLE}: its standard library for that target is not installed.`, {
      hint: `Run \`rustup target add ${WASM_TRIPLE}\`${env.RUSTUP_TOOLCHAIN ? ` (for the toolchain ${env.RUSTUP_TOOLCHAIN}: \`rustup target add ${WASM_TRIPLE} --toolchain ${env.RUSTUP_TOOLCHAIN}\`)` : ''}.`,
    })
  }
  if (stampFile) await writeStamp(stampFile, key, selectors, [lib])
}

/**
 * The files that choose the toolchain for a build in `cwd` and exist now:
 * `rust-toolchain` and `rust-toolchain.toml` in `cwd` and every folder
 * above it (rustup's "Overrides" chapter), and rustup's settings.toml (the
 * default toolchain and directory overrides).
 */
function toolchainSelectors(cwd: string, env: NodeJS.ProcessEnv): string[] {
  const files: string[] = []
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    for (const name of ['rust-toolchain', 'rust-toolchain.toml']) {
      if (fs.existsSync(path.join(dir, name))) files.push(path.join(dir, name))
    }
    if (path.dirname(dir) === dir) break
  }
  const settings = path.join(env.RUSTUP_HOME ?? path.join(os.homedir(), '.rustup'), 'settings.toml')
  if (fs.existsSync(settings)) files.push(settings)
  return files
}

/**
 * The Cargo.lock of the crate in `crateDir`: the nearest one, in its own
 * folder or a workspace's above it.
 *
 * @throws RustyError when there is none
 */
export function findCargoLock(crateDir: string): string {
  for (let dir = crateDir; ; dir = path.dirname(dir)) {
    const lock = path.join(dir, 'Cargo.lock')
    if (fs.existsSync(lock)) return lock
    if (path.dirname(dir) === dir) throw new RustyError(`No Cargo.lock found for the crate in ${crateDir}; cargo writes one when it builds.`)
  }
}

/**
 * The version of the `wasm-bindgen` crate the build uses, from the Cargo.lock
 * nearest to the crate ({@link findCargoLock}). The CLI must have exactly
 * this version: wasm-bindgen refuses any other.
 *
 * @param lock the Cargo.lock to read; default: the one {@link findCargoLock} finds for `crateDir`
 * @throws RustyError when there is no Cargo.lock, it has no wasm-bindgen, or more than one version of it
 */
export async function lockedWasmBindgenVersion(crateDir: string, lock = findCargoLock(crateDir)): Promise<string> {
  // Imported here: a no-op develop takes the version from its stamp (~3 ms of parsing saved).
  const { parse: parseToml } = await import('smol-toml')
  const parsed = parseToml(fs.readFileSync(lock, 'utf8')) as { package?: { name: string; version: string }[] }
  const versions = (parsed.package ?? []).filter((p) => p.name === 'wasm-bindgen').map((p) => p.version)
  if (versions.length === 1) return versions[0]!
  if (versions.length > 1) {
    throw new RustyError(`${lock} has ${versions.length} versions of wasm-bindgen (${versions.join(', ')}); the wasm-bindgen CLI can only match one.`, {
      hint: 'Make every crate depend on the same wasm-bindgen version (`cargo update -p wasm-bindgen`).',
    })
  }
  throw new RustyError(`${lock} has no wasm-bindgen package.`, { hint: 'The wasm backend needs the crate to depend on wasm-bindgen.' })
}

/**
 * rusty's cache folder: `env.RUSTY_CACHE_DIR` when set, else the platform's
 * user cache folder for `rusty`, from env-paths: `$XDG_CACHE_HOME/rusty` or
 * `~/.cache/rusty` on Linux (the folder earlier versions used, so a cached
 * wasm-bindgen CLI is still found), `~/Library/Caches/rusty` on macOS,
 * `%LOCALAPPDATA%\rusty\Cache` on Windows. env-paths reads
 * XDG_CACHE_HOME and LOCALAPPDATA from `process.env`, not from `env`.
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  // suffix '' keeps the folder `rusty`; env-paths' default would be `rusty-nodejs`.
  return env.RUSTY_CACHE_DIR ?? envPaths('rusty', { suffix: '' }).cache
}

/**
 * Finds a wasm-bindgen CLI of exactly `version`: in rusty's cache when it was
 * checked there before and has not changed since, else on PATH, else in the
 * cache, else builds it from crates.io into the cache with
 * `cargo install wasm-bindgen-cli --version =<version> --locked --root <cache>/wasm-bindgen/<version>`
 * (a few minutes, once). Nothing is downloaded from a release page.
 *
 * @returns the command to run
 * @throws RustyError when no usable CLI can be found or built
 */
export async function ensureWasmBindgen(version: string, reporter: Reporter, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const root = path.join(cacheDir(env), 'wasm-bindgen', version)
  const cached = path.join(root, 'bin', process.platform === 'win32' ? 'wasm-bindgen.exe' : 'wasm-bindgen')
  // A cached CLI that said its version once is not asked again (two process
  // starts on every rebuild of `develop --watch`) while the file is unchanged.
  const verified = path.join(root, 'verified.json')
  if (await readFreshOutputs(verified, version, [cached])) return cached
  if ((await cliVersion('wasm-bindgen', env)) === version) return 'wasm-bindgen'
  if (fs.existsSync(cached)) {
    const found = await cliVersion(cached, env)
    if (found === version) {
      await rememberVerified(verified, version, cached)
      return cached
    }
    throw new RustyError(`The cached wasm-bindgen CLI (${cached}) does not run as version ${version} (it said ${found ?? 'nothing'}).`, {
      hint: `Delete ${root} and run this again to rebuild it.`,
    })
  }
  reporter.start(`Installing wasm-bindgen-cli ${version} from crates.io (once; this takes a few minutes)`)
  const { execa } = await import('execa')
  const install = async (locked: boolean) =>
    execa(env.CARGO ?? 'cargo', ['install', 'wasm-bindgen-cli', '--version', `=${version}`, ...(locked ? ['--locked'] : []), '--root', root], {
      env,
      reject: false,
      all: true,
    })
  let result = await install(true)
  // The CLI's own Cargo.lock can pin a crate version the registry no longer
  // serves (yanked); then resolve afresh, as `cargo install` without --locked does.
  if (result.failed && /failed to select a version|yanked/.test(result.all ?? '')) {
    reporter.warn(`wasm-bindgen-cli ${version}'s Cargo.lock cannot be used as is; installing without --locked`)
    result = await install(false)
  }
  if (result.failed) {
    const tail = (result.all ?? '').trim().split('\n').slice(-15).join('\n')
    process.stderr.write(`${tail}\n`)
    throw new RustyError(`Could not install wasm-bindgen-cli ${version} with cargo (exit code ${result.exitCode}); cargo's last lines are above.`, {
      hint: `Install it yourself with \`cargo install wasm-bindgen-cli --version =${version}\` and make sure it is on PATH.`,
    })
  }
  const found = await cliVersion(cached, env)
  if (found !== version) throw new RustyError(`cargo installed wasm-bindgen-cli into ${root}, but it does not run as version ${version}.`)
  await rememberVerified(verified, version, cached)
  reporter.done(`Installed wasm-bindgen-cli ${version} into ${root}`)
  return cached
}

/** `wasm-bindgen --version` prints `wasm-bindgen 0.2.130`; undefined when it does not run. */
async function cliVersion(command: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const { execa } = await import('execa')
  const result = await execa(command, ['--version'], { env, reject: false })
  if (result.failed) return undefined
  return /wasm-bindgen (\S+)/.exec(result.stdout)?.[1]
}

/**
 * Records that the cached CLI said `version` (see {@link ensureWasmBindgen}).
 * Best effort: a read-only cache (a prepared CI image) only means it is asked
 * again next time.
 */
async function rememberVerified(stampFile: string, version: string, cli: string): Promise<void> {
  await writeStamp(stampFile, version, [cli], []).catch(() => {})
}
