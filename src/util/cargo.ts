import path from 'node:path'
// nano-spawn, not execa (used elsewhere), because this file is on the path of
// every `rusty develop`, including the no-op one whose whole budget is
// ~1.5x `node -e 0` + cargo: loading execa's bundle costs ~3x more than this
// 15 KB sibling by execa's authors (BENCHMARKS.md §3).
import spawn, { SubprocessError } from 'nano-spawn'
import { CancelledError, RustyError } from '../errors.js'
import { withInterrupts } from './signals.js'

/** The hint every "no Rust toolchain" error carries. */
export const CARGO_INSTALL_HINT = 'Install Rust with rustup (https://rustup.rs), then open a new terminal so cargo is on PATH (`rusty doctor` checks).'

/**
 * Checks that `cargo` runs, before a backend hands the terminal to it, so a
 * missing toolchain is one clear line instead of a spawn error.
 *
 * @returns cargo's version line, e.g. `cargo 1.95.0 (f2d3ce0bd 2026-03-21)`
 * @throws RustyError with {@link CARGO_INSTALL_HINT} when cargo is not on PATH or fails
 */
export async function ensureCargo(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const cargo = cargoCommand(env)
  try {
    const { stdout } = await spawn(cargo, ['--version'], { env: exactEnv(env), stdin: 'ignore' })
    return stdout.trim()
  } catch (error) {
    const what = notFound(error) ? `cargo was not found on PATH` : `\`${cargo} --version\` failed: ${error instanceof Error ? error.message : String(error)}`
    throw new RustyError(`Cannot build the crate: ${what}.`, { hint: CARGO_INSTALL_HINT })
  }
}

/**
 * The cargo options a build takes, declared once (as maturin's
 * `CargoOptions` is flattened into its `BuildOptions` and `DevelopOptions`):
 * the command options (`rusty develop`, `rusty build`) take them as given
 * (`Partial`), the build context and the backends resolved.
 */
export interface CargoOptions {
  /** Cargo's release profile instead of dev (`--release`). */
  release: boolean
  /** Cargo features to enable (`--features`). */
  features: string[]
  /** Cargo's `--target-dir`; undefined lets cargo decide (CARGO_TARGET_DIR or `<crate>/target`). */
  targetDir?: string
  /** Extra `cargo build` arguments (what follows `--` on rusty's command line). */
  cargoArgs: string[]
  /** `--target <triple>`; default: the host. */
  target?: string
}

/** What {@link cargoBuild} needs. */
export interface CargoBuildOptions extends CargoOptions {
  /** cargo's subcommand: `build` (default), or `zigbuild` (cargo-zigbuild, same arguments; links with zig). */
  subcommand?: 'build' | 'zigbuild'
  /** Cargo.toml of the crate to build. */
  manifestPath: string
  /** Folder cargo runs in (affects `.cargo/config.toml` and rust-toolchain lookup). */
  cwd: string
  env?: NodeJS.ProcessEnv
}

/**
 * One crate's result in cargo's JSON messages (the Cargo Book, "External
 * tools: JSON messages": `compiler-artifact` and `build-script-executed`).
 */
export interface CargoCrateOutput {
  /** cargo's package id of the crate whose manifest was built. */
  packageId: string
  /** Files of its library target that has crate type `cdylib` (e.g. `.so`, or `.dll` + `.dll.lib`). */
  cdylibFiles: string[]
  /** The library target's name as rustc sees it (`-` as `_`), e.g. `fast_math`. */
  libName: string
  /** OUT_DIR of its build script, if it has one. */
  outDir?: string
  /** cargo's `fresh`: true when the library was up to date and not rebuilt. */
  fresh: boolean
}

/**
 * Runs `cargo build --message-format=json-render-diagnostics` for one crate.
 * cargo's progress and the compiler's diagnostics (rendered, as a person
 * reads them) go straight to the terminal's stderr; the JSON messages on
 * stdout are read for the crate's cdylib and its build script's OUT_DIR.
 *
 * @throws RustyError when cargo is missing or the build fails (its diagnostics
 *   are already on screen), or when the crate produced no cdylib
 */
export async function cargoBuild(options: CargoBuildOptions): Promise<CargoCrateOutput> {
  const args = [options.subcommand ?? 'build', '--manifest-path', options.manifestPath]
  if (options.release) args.push('--release')
  if (options.features.length > 0) args.push('--features', options.features.join(','))
  if (options.targetDir) args.push('--target-dir', options.targetDir)
  if (options.target) args.push('--target', options.target)
  args.push(...options.cargoArgs)
  return runCargoBuild(args, { manifestPath: options.manifestPath, cwd: options.cwd, env: options.env ?? process.env })
}

/**
 * Runs `cargo <args> --message-format=json-render-diagnostics` (args start
 * with `build` or `zigbuild`) in `cwd` with exactly `env`, as {@link cargoBuild} does, and
 * reads the result for the crate of `manifestPath` from cargo's JSON messages.
 *
 * @throws RustyError as {@link cargoBuild} does
 */
export async function runCargoBuild(
  args: string[],
  options: { manifestPath: string; cwd: string; env: NodeJS.ProcessEnv },
): Promise<CargoCrateOutput> {
  const { env } = options
  const controller = new AbortController()
  let stdout: string
  try {
    const result = await withInterrupts(
      () => controller.abort(),
      () =>
        spawn(cargoCommand(env), [...args, '--message-format=json-render-diagnostics'], {
          cwd: options.cwd,
          env: exactEnv(env),
          stdin: 'inherit',
          stdout: 'pipe',
          stderr: 'inherit',
          signal: controller.signal,
        }),
    )
    stdout = result.stdout
  } catch (error) {
    if (!(error instanceof SubprocessError)) throw error
    if (error.isCanceled) throw new CancelledError('Build cancelled; cargo was stopped and the previous build is unchanged.')
    if (notFound(error)) throw new RustyError('Cannot build the crate: cargo was not found on PATH.', { hint: CARGO_INSTALL_HINT })
    if (error.signalName) throw new RustyError(`cargo build was stopped (${error.signalName}).`, { exitCode: 130 })
    throw new RustyError(`cargo ${args[0]} failed (exit code ${error.exitCode ?? 'unknown'}); the compiler's messages are above.`)
  }
  const messages = stdout.split('\n').flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>]
    } catch {
      return []
    }
  })
  const manifest = path.resolve(options.manifestPath)
  const artifact = messages.find(
    (m) =>
      m.reason === 'compiler-artifact' &&
      path.resolve(String(m.manifest_path)) === manifest &&
      ((m.target as { crate_types?: string[] } | undefined)?.crate_types ?? []).includes('cdylib'),
  )
  if (!artifact) {
    throw new RustyError(`cargo built ${manifest} but reported no cdylib.`, { hint: 'Add crate-type = ["cdylib"] to the [lib] section of Cargo.toml.' })
  }
  const packageId = String(artifact.package_id)
  const script = messages.find((m) => m.reason === 'build-script-executed' && m.package_id === packageId)
  return {
    packageId,
    cdylibFiles: (artifact.filenames as string[]) ?? [],
    libName: String((artifact.target as { name?: string } | undefined)?.name ?? ''),
    outDir: script ? String(script.out_dir) : undefined,
    fresh: artifact.fresh === true,
  }
}

/** True when `error` says the command does not exist (spawn's ENOENT, nano-spawn keeps it as the cause). */
function notFound(error: unknown): boolean {
  return (error as { cause?: { code?: string } } | undefined)?.cause?.code === 'ENOENT'
}

/**
 * `env` as nano-spawn's `env` option for a child that gets exactly `env`:
 * nano-spawn lays the option over process.env, so each variable of
 * process.env that `env` lacks is set to undefined, which Node's spawn leaves
 * out.
 */
function exactEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (env === process.env) return env
  const unset = Object.fromEntries(Object.keys(process.env).filter((name) => !(name in env)).map((name) => [name, undefined]))
  return { ...unset, ...env }
}

/**
 * The cargo to run: CARGO (as cargo sets it for build scripts and
 * subcommands), else `cargo`, or `cargo.exe` on Windows, where nano-spawn
 * runs a name without `.exe` it cannot find through `cmd.exe` (which answers
 * "not recognized", exit code 1) instead of failing with ENOENT.
 */
function cargoCommand(env: NodeJS.ProcessEnv): string {
  return env.CARGO ?? (process.platform === 'win32' ? 'cargo.exe' : 'cargo')
}
