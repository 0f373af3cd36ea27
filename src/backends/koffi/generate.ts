import fs from 'node:fs/promises'
import path from 'node:path'
import { RustyError } from '../../errors.js'
import type { BuildOptions } from '../types.js'
import { generateBindings } from './bindings.js'
import { HEADER_FILE, crateNameFromPackageId, hostLibraryFile } from './files.js'
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
  if (project.config.header && headerText === undefined) {
    throw new RustyError(`The C header named in package.json ("rusty": { "header": ${JSON.stringify(project.config.header)} }) cannot be read: ${header}.`, {
      hint: "Give the header's path relative to the crate's folder, or remove the setting to use the header cbindgen writes.",
    })
  }
  if (!header || headerText === undefined) {
    // A crate as published on crates.io has `build = false` in its normalised Cargo.toml: cargo then ignores build.rs.
    const manifest = await fs.readFile(project.manifestPath, 'utf8').catch(() => '')
    if (/^\s*build\s*=\s*false\s*$/m.test(manifest)) {
      throw new RustyError(`The crate's build script did not run: ${project.manifestPath} says \`build = false\` (as crates downloaded from crates.io do), so cargo ignores build.rs and cbindgen writes no C header.`, {
        hint: `Remove the line \`build = false\` from ${project.manifestPath}, or name the crate's own C header in package.json: "rusty": { "header": "include/<name>.h" }.`,
      })
    }
    throw new RustyError(`The crate's build script wrote no C header (${HEADER_FILE} in its OUT_DIR).`, {
      hint: 'The koffi backend needs rust/build.rs to run cbindgen as in the template (`rusty new --backend koffi` shows it).',
    })
  }
  reporter.start('Generating the koffi bindings from the C header')
  const crateName = crateNameFromPackageId(output.packageId, project.crateDir)
  if (isCpp(headerText)) {
    throw project.config.header !== undefined
      ? new RustyError(`The C header of ${crateName} (${header}) is C++, not C; the koffi bindings are made from a C header.`, {
          hint: 'Name a C header (or the C part of it, `extern "C"` declarations outside `#ifdef __cplusplus`) in "rusty": { "header": ... } of package.json.',
        })
      : new RustyError(`The header cbindgen wrote for ${crateName} is C++, not C (rust/cbindgen.toml sets \`language = "C++"\`); the koffi bindings are made from a C header (${header}).`, {
          hint: 'Set `language = "C"` in rust/cbindgen.toml (or remove the line: the koffi template\'s build.rs asks for C), then run the build again.',
        })
  }
  try {
    const macros = needsTargetMacros(headerText)
      ? await targetMacros(project.crateDir, options.target, options.features, options.cargoArgs)
      : undefined
    let declarations
    try {
      declarations = parseHeader(headerText, { macros })
      if (declarations.length === 0) throw emptyHeader(crateName, header, project.config.header !== undefined, await ownHeaders(project.crateDir))
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

/**
 * Whether `text` is a C++ header (cbindgen with `language = "C++"`), which
 * the C parser would misread item by item. What a C header keeps for C++
 * compilers inside `#ifdef __cplusplus` / `#if defined(__cplusplus)` blocks
 * (an `#include <cstdint>`, `extern "C" {`) does not count.
 */
export function isCpp(text: string): boolean {
  return /^\s*(#include <c(stdint|stddef|stdarg|stdlib)>|namespace\s+\w+|template\s*<|using\s+\w+\s*=)/m.test(withoutCppBlocks(text))
}

/** `text` without its `#if(def) __cplusplus` ... `#else`/`#endif` blocks (nested conditionals followed). */
function withoutCppBlocks(text: string): string {
  const kept: string[] = []
  // Depths at which a __cplusplus block is open; nothing is kept while one is.
  let depth = 0
  let skipFrom: number | undefined
  for (const line of text.split('\n')) {
    const directive = /^\s*#\s*(if|ifdef|ifndef|elif|else|endif)\b(.*)$/.exec(line)
    if (directive) {
      const [, kind, rest = ''] = directive
      if (kind === 'if' || kind === 'ifdef' || kind === 'ifndef') {
        depth++
        if (skipFrom === undefined && kind !== 'ifndef' && /\b__cplusplus\b/.test(rest) && !/!\s*defined|!\s*__cplusplus/.test(rest)) skipFrom = depth
      } else if (kind === 'endif') {
        if (skipFrom === depth) skipFrom = undefined
        depth--
      } else if (skipFrom === depth) {
        // The #else of a C++-only block is C again.
        skipFrom = undefined
      }
      continue
    }
    if (skipFrom === undefined) kept.push(line)
  }
  return kept.join('\n')
}

/**
 * The error for a header that declares nothing: a JavaScript module without
 * exports (TypeScript's TS2306 further on). cbindgen reads the crate's source
 * without expanding macros, so functions a macro makes (`ffi_fn!`) are
 * invisible to it unless `[parse.expand]` is set, which runs `cargo expand`
 * and needs a nightly toolchain (cbindgen's docs, "parse.expand").
 */
function emptyHeader(crateName: string, header: string, own: boolean, shipped: string[]): RustyError {
  if (own) {
    return new RustyError(`The C header of ${crateName} (${header}) declares nothing rusty can bind.`, {
      hint: 'Name the header that declares the crate\'s `extern "C"` functions in "rusty": { "header": ... } of package.json.',
    })
  }
  return new RustyError(
    `The C header cbindgen wrote for ${crateName} is empty: cbindgen saw no \`pub extern "C"\` function (${header}). Functions made by a macro (such as \`ffi_fn!\`) are invisible to it, since it reads the source without expanding macros unless \`[parse.expand]\` is set, which needs a nightly toolchain.`,
    {
      hint: `${shipped.length > 0 ? `The crate ships ${shipped.join(', ')}: name it in package.json, "rusty": { "header": ${JSON.stringify(shipped[0])} }` : 'If the crate ships its own C header, name it in package.json: "rusty": { "header": "include/<name>.h" }'} (relative to the crate's folder). Otherwise write the functions without the macro (\`#[no_mangle] pub extern "C" fn ...\`), or set \`[parse.expand] crates = ["<crate>"]\` in rust/cbindgen.toml and build with nightly.`,
    },
  )
}

/** The C headers a crate ships in `include/` (relative paths, sorted); [] when there are none. */
async function ownHeaders(crateDir: string): Promise<string[]> {
  const names = await fs.readdir(path.join(crateDir, 'include')).catch(() => [] as string[])
  return names.filter((name) => name.endsWith('.h')).sort().map((name) => `include/${name}`)
}
