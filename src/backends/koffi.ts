import fs from 'node:fs/promises'
import path from 'node:path'
import { RustyError } from '../errors.js'
import { copyFileAtomic, installFile, writeFileAtomic } from '../util/files.js'
import { templatesRoot } from '../util/paths.js'
import { platformOf } from '../util/platform.js'
import { readFreshOutputs, removeStamp, writeStamp } from '../util/stamp.js'
import { rustyVersion } from '../util/version.js'
import { buildCdylib } from './cdylib.js'
import { generateBindings } from './koffi/bindings.js'
import { HeaderParseError, parseHeader } from './koffi/header.js'
import type { Backend, BuildOptions, BuildResult, TemplateContext } from './types.js'
import type { Project } from '../project/config.js'
import type { Reporter } from '../util/reporter.js'

/** Name of the header the koffi template's build.rs writes into its OUT_DIR. */
export const HEADER_FILE = 'bindings.h'

/**
 * The koffi backend: the crate is a plain C-ABI cdylib. cargo builds it; its
 * build.rs runs cbindgen, whose header rusty turns into `native/index.js`
 * (koffi declarations plus the conversions the conventions ask for) and
 * `native/index.d.ts`, regenerated on every build so the TypeScript side
 * cannot drift from the Rust side.
 */
export const backend: Backend = {
  name: 'koffi',
  label: 'koffi: a C-ABI cdylib loaded with koffi, with generated bindings',
  nativeImport: '../native/index.js',
  buildTools: [],

  packageJsonFields(context: TemplateContext) {
    return { dependencies: { koffi: context.versions.koffi, 'detect-libc': context.versions.detectLibc } }
  },

  async build(options: BuildOptions): Promise<BuildResult> {
    const { project, reporter } = options
    const output = await buildCdylib(options, options.target)
    const library = output.cdylibFiles.find((file) => /\.(so|dylib|dll)$/.test(file))
    if (!library) throw new RustyError(`cargo reported no shared library for the crate (files: ${output.cdylibFiles.join(', ') || 'none'}).`)
    const header = output.outDir ? path.join(output.outDir, HEADER_FILE) : undefined
    const platform = await platformOf(options.target)
    const artifact = options.artifactsDir
      ? path.join(options.artifactsDir, platformFileName(path.basename(library), platform))
      : path.join(project.nativeDir, hostLibraryFile(output.libName))
    const dts = path.join(project.nativeDir, 'index.d.ts')
    const js = path.join(project.nativeDir, 'index.js')
    const loader = path.join(project.nativeDir, 'platform.js')
    const loaderSource = path.join(templatesRoot, 'runtime', 'platform.js')
    const files = [artifact, loader, dts, js]

    // What native/ is made of: the library cargo wrote (-> the artifact), and
    // the header plus the loader template (-> the bindings), each stamped by
    // size and mtime with rusty's version (.rusty/koffi-*-stamp.json). A no-op
    // develop then neither reads the multi-MiB library nor parses the header;
    // a rebuilt library with the same header is only copied into place.
    const prefix = path.join(project.stateDir, options.artifactsDir ? 'koffi-build' : 'koffi')
    const [libraryStamp, bindingsStamp] = [`${prefix}-library-stamp.json`, `${prefix}-bindings-stamp.json`]
    const stampKey = JSON.stringify({ rusty: rustyVersion(), files, packageName: project.packageJson.name, crateDir: project.crateDir })
    const bindingInputs = header ? [header, loaderSource] : []
    const libraryFresh = await readFreshOutputs(libraryStamp, stampKey, [library])
    const bindingsFresh = header !== undefined && (await readFreshOutputs(bindingsStamp, stampKey, bindingInputs)) !== undefined
    if (libraryFresh && bindingsFresh) {
      reporter.done('koffi bindings up to date')
      return { files, artifact, changed: false, platform, platformPackage: true }
    }

    // Generated before anything is installed: an unsupported declaration leaves native/ as it was.
    const bindings = bindingsFresh ? undefined : await generateFromHeader(header, output.libName, project, reporter)
    let changed = false
    // Library first, loader last: a loader never names a library that is not there yet.
    if (!libraryFresh) {
      await removeStamp(libraryStamp)
      await copyFileAtomic(library, artifact)
      await writeStamp(libraryStamp, stampKey, [library], [artifact])
      changed = true
    }
    if (bindings) {
      await removeStamp(bindingsStamp)
      changed = (await installFile(loaderSource, loader)) || changed
      changed = (await writeFileAtomic(dts, bindings.dts)) || changed
      changed = (await writeFileAtomic(js, bindings.js)) || changed
      await writeStamp(bindingsStamp, stampKey, bindingInputs, [loader, dts, js])
    }
    reporter.done(bindings ? 'Generated the koffi bindings' : 'koffi bindings up to date')
    return { files, artifact, changed, platform, platformPackage: true }
  },
}

/**
 * Reads the C header cargo's build script wrote and generates the koffi
 * bindings from it (`native/index.js` and `native/index.d.ts` texts).
 *
 * @throws RustyError when there is no header, or for a declaration the
 *   generator does not support (named, with where it is)
 */
async function generateFromHeader(header: string | undefined, libName: string, project: Project, reporter: Reporter): Promise<{ js: string; dts: string }> {
  const headerText = header ? await fs.readFile(header, 'utf8').catch(() => undefined) : undefined
  if (!header || !headerText) {
    throw new RustyError(`The crate's build script wrote no C header (${HEADER_FILE} in its OUT_DIR).`, {
      hint: 'The koffi backend needs rust/build.rs to run cbindgen as in the template (`rusty new --backend koffi` shows it).',
    })
  }
  reporter.start('Generating the koffi bindings from the C header')
  try {
    return generateBindings(parseHeader(headerText), {
      libraryFile: hostLibraryFile(libName),
      packageName: project.packageJson.name,
      crateName: path.basename(project.crateDir),
    })
  } catch (error) {
    if (error instanceof HeaderParseError) {
      throw new RustyError(`Cannot generate a koffi binding for this C declaration: ${error.message} (in ${header}).`, {
        hint: 'Keep such items out of the C header (not `pub extern "C"`), or use a supported shape (see rust/src/lib.rs).',
      })
    }
    throw error
  }
}

/** The file name cargo gives a cdylib on this machine: `lib<name>.so`, `lib<name>.dylib` or `<name>.dll`. */
export function hostLibraryFile(libName: string): string {
  if (process.platform === 'win32') return `${libName}.dll`
  return `lib${libName}.${process.platform === 'darwin' ? 'dylib' : 'so'}`
}

/** `libhello.so` for linux-x64-gnu becomes `libhello.linux-x64-gnu.so`, the artifact name `rusty build` uses. */
export function platformFileName(file: string, platform: string): string {
  const ext = path.extname(file)
  return `${file.slice(0, -ext.length)}.${platform}${ext}`
}
