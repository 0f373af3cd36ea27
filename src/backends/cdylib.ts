import path from 'node:path'
import { cargoBuild, ensureCargo, type CargoCrateOutput } from '../util/cargo.js'
import type { BuildOptions } from './types.js'

/**
 * The common first step of the backends that run cargo themselves (koffi,
 * wasm): checks that cargo runs, hands the terminal to it, and builds the
 * project's crate with the options of `rusty develop`.
 *
 * @param target a target triple for `--target`, or undefined for the host
 * @returns the crate's cdylib files and build-script OUT_DIR, from cargo's JSON messages
 * @throws RustyError when cargo is missing or the build fails
 */
export async function buildCdylib(options: BuildOptions, target?: string): Promise<CargoCrateOutput> {
  const { project, reporter } = options
  await ensureCargo()
  const crate = path.relative(project.root, project.crateDir) || '.'
  reporter.handOff(`Building ${crate}${target ? ` for ${target}` : ''} with cargo (${options.release ? 'release' : 'dev'} profile)`)
  return cargoBuild({
    manifestPath: project.manifestPath,
    cwd: project.root,
    release: options.release,
    features: options.features,
    targetDir: options.targetDir,
    target,
    cargoArgs: options.cargoArgs,
  })
}
