import fs from 'node:fs/promises'
import { RustyError } from '../../errors.js'
import type { BuildOptions } from '../types.js'
import { generateBindings } from './bindings.js'
import { HEADER_FILE, crateNameOf, hostLibraryFile } from './files.js'
import { parseHeader } from './header.js'
import { UndecidableConditionError } from './preprocess.js'
import { needsTargetMacros, targetMacros } from './target.js'

/**
 * Reads the C header cargo's build script wrote, evaluates its `#if` blocks
 * for the target being built, and generates the koffi bindings from it
 * (`native/index.js` and `native/index.d.ts` texts).
 *
 * @throws RustyError when there is no header, a condition cannot be decided
 *   for the target, or for declarations the generator does not support (all
 *   of them named, with where they are)
 */
export async function generateFromHeader(
  header: string | undefined,
  output: { libName: string; packageId: string },
  options: BuildOptions,
): Promise<{ js: string; dts: string }> {
  const { project, reporter } = options
  const headerText = header ? await fs.readFile(header, 'utf8').catch(() => undefined) : undefined
  if (!header || !headerText) {
    throw new RustyError(`The crate's build script wrote no C header (${HEADER_FILE} in its OUT_DIR).`, {
      hint: 'The koffi backend needs rust/build.rs to run cbindgen as in the template (`rusty new --backend koffi` shows it).',
    })
  }
  reporter.start('Generating the koffi bindings from the C header')
  const crateName = crateNameOf(output.packageId, project.crateDir)
  try {
    const macros = needsTargetMacros(headerText)
      ? await targetMacros(project.crateDir, options.target, options.features, options.cargoArgs)
      : undefined
    let declarations
    try {
      declarations = parseHeader(headerText, { macros })
    } catch (error) {
      if (error instanceof UndecidableConditionError || error instanceof RustyError) throw error
      throw new RustyError(`Cannot read the C header of ${crateName}: ${(error as Error).message} (in ${header}).`, {
        hint: 'rust/build.rs should write the header with cbindgen, language = "C", as the koffi template does.',
      })
    }
    return generateBindings(declarations, {
      libraryFile: hostLibraryFile(output.libName),
      packageName: project.packageJson.name,
      crateName,
    })
  } catch (error) {
    if (error instanceof UndecidableConditionError) {
      throw new RustyError(`Cannot read the C header of ${crateName} for this target: ${error.message} (in ${header}).`, {
        hint: 'Map each `#[cfg]` the exported items use to a macro in the [defines] table of rust/cbindgen.toml (e.g. `"target_os = windows" = "DEFINE_WINDOWS"`); rusty defines it when the cfg holds for the target.',
      })
    }
    throw error
  }
}
