import path from 'node:path'
import { execa } from 'execa'
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
  const cargo = env.CARGO ?? 'cargo'
  try {
    const { stdout } = await execa(cargo, ['--version'], { env })
    return stdout.trim()
  } catch (error) {
    const e = error as { code?: string; shortMessage?: string }
    const what = e.code === 'ENOENT' ? `cargo was not found on PATH` : `\`${cargo} --version\` failed: ${e.shortMessage ?? String(error)}`
    throw new RustyError(`Cannot build the crate: ${what}.`, { hint: CARGO_INSTALL_HINT })
  }
}

/** What {@link cargoBuild} needs. */
export interface CargoBuildOptions {
  /** Cargo.toml of the crate to build. */
  manifestPath: string
  /** Folder cargo runs in (affects `.cargo/config.toml` and rust-toolchain lookup). */
  cwd: string
  release: boolean
  features: string[]
  targetDir?: string
  /** `--target <triple>`; default: the host. */
  target?: string
  /** Extra `cargo build` arguments. */
  cargoArgs: string[]
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
  const args = ['build', '--manifest-path', options.manifestPath]
  if (options.release) args.push('--release')
  if (options.features.length > 0) args.push('--features', options.features.join(','))
  if (options.targetDir) args.push('--target-dir', options.targetDir)
  if (options.target) args.push('--target', options.target)
  args.push(...options.cargoArgs)
  return runCargoBuild(args, { manifestPath: options.manifestPath, cwd: options.cwd, env: options.env ?? process.env })
}

/**
 * Runs `cargo <args> --message-format=json-render-diagnostics` (args start
 * with `build`) in `cwd` with exactly `env`, as {@link cargoBuild} does, and
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
  const result = await withInterrupts(
    () => controller.abort(),
    () =>
      execa(env.CARGO ?? 'cargo', [...args, '--message-format=json-render-diagnostics'], {
        cwd: options.cwd,
        env,
        extendEnv: false,
        stdin: 'inherit',
        stdout: 'pipe',
        stderr: 'inherit',
        reject: false,
        lines: true,
        maxBuffer: 1e9,
        cancelSignal: controller.signal,
      }),
  )
  if (result.isCanceled) throw new CancelledError('Build cancelled; cargo was stopped and the previous build is unchanged.')
  if (result.failed) {
    if ((result as { code?: string }).code === 'ENOENT') {
      throw new RustyError('Cannot build the crate: cargo was not found on PATH.', { hint: CARGO_INSTALL_HINT })
    }
    if (result.isTerminated) throw new RustyError(`cargo build was stopped (${result.signal}).`, { exitCode: 130 })
    throw new RustyError(`cargo build failed (exit code ${result.exitCode}); the compiler's messages are above.`)
  }
  const messages = (result.stdout as string[]).flatMap((line) => {
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
