import { execa } from 'execa'
import { RustyError } from '../errors.js'

/** The hint every "no Rust toolchain" error carries. */
export const CARGO_INSTALL_HINT = 'Install Rust with rustup (https://rustup.rs), then open a new terminal so cargo is on PATH.'

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
