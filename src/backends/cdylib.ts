import path from 'node:path'
import { cargoBuild, type CargoCrateOutput } from '../util/cargo.js'
import type { BuildOptions } from './types.js'

/**
 * The common first step of the backends that run cargo themselves (koffi,
 * wasm): hands the terminal to cargo and builds the project's crate with the
 * options of `rusty develop`. No `cargo --version` check first (napi needs
 * one, since napi-rs spawns cargo itself): cargoBuild reports a missing cargo
 * in one line, and a no-op develop saves a process start.
 *
 * A release build for Linux (`options.cross`, src/pipeline/cross.ts) runs
 * `cargo zigbuild` (musl) or adds the gnu cross toolchain's linker variables.
 *
 * @param target a target triple for `--target`, or undefined for the host
 * @param strip for a release build, strip the library of its symbols and
 *   debug info, whatever the crate's `[profile.release]` says (cargo's
 *   `CARGO_PROFILE_RELEASE_STRIP=symbols`, the Cargo Book's "Profiles:
 *   strip"; a value already in the environment wins). The wasm backend
 *   passes false: wasm-bindgen reads its own custom sections from the module
 *   and drops debug info itself.
 * @returns the crate's cdylib files and build-script OUT_DIR, from cargo's JSON messages
 * @throws RustyError when cargo is missing or the build fails
 */
export async function buildCdylib(options: BuildOptions, target: string | undefined, strip: boolean): Promise<CargoCrateOutput> {
  const { project, reporter } = options
  const crate = path.relative(project.root, project.crateDir) || '.'
  reporter.handOff(`Building ${crate}${target ? ` for ${target}` : ''} with cargo (${options.release ? 'release' : 'dev'} profile)`)
  const cross = options.cross
  return cargoBuild({
    // `cargo zigbuild` takes cargo build's arguments (cargo-zigbuild's README).
    subcommand: cross?.plan.kind === 'zig' ? 'zigbuild' : 'build',
    manifestPath: project.manifestPath,
    cwd: project.root,
    release: options.release,
    features: options.features,
    targetDir: options.targetDir,
    target,
    cargoArgs: options.cargoArgs,
    env: strippedEnv({ ...(await cdylibEnv(target)), ...cross?.env }, options.release && strip),
  })
}

/**
 * `env` with `CARGO_PROFILE_RELEASE_STRIP=symbols` when `strip` (and the
 * variable is not set already): a release library ships without its symbol
 * table and debug sections even when the crate keeps `debug = true`.
 */
export function strippedEnv(env: NodeJS.ProcessEnv, strip: boolean): NodeJS.ProcessEnv {
  if (!strip || env.CARGO_PROFILE_RELEASE_STRIP !== undefined) return env
  return { ...env, CARGO_PROFILE_RELEASE_STRIP: 'symbols' }
}

/**
 * The environment cargo builds a cdylib with: for a musl target (`--target
 * *-musl`, or a musl host without one) `-C target-feature=-crt-static` is
 * added to RUSTFLAGS, since rustc links musl statically by default and then
 * refuses a cdylib ("the target does not support these crate types"); a
 * shared library links the musl C library of the machine that loads it. This
 * is what napi-rs's CLI does for napi crates. Other targets: `env` unchanged.
 *
 * @param target a target triple, or undefined for the host
 * @param hostLibc the host's C library family (`'musl'`, `'glibc'`, null);
 *   default: detect-libc's familySync, loaded only for a Linux host build
 *   (a wasm32 build does not need it)
 */
export async function cdylibEnv(
  target: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  hostLibc?: () => string | null,
): Promise<NodeJS.ProcessEnv> {
  // A CommonJS package: its functions are on the default export (module.exports).
  const hostIsMusl = async () => (hostLibc ?? (await import('detect-libc')).default.familySync)() === 'musl'
  const musl = target === undefined ? process.platform === 'linux' && (await hostIsMusl()) : target.includes('musl')
  const rustflags = env.RUSTFLAGS ?? ''
  if (!musl || rustflags.includes('crt-static')) return env
  return { ...env, RUSTFLAGS: `${rustflags} -C target-feature=-crt-static`.trim() }
}
