import path from 'node:path'
import { RustyError } from '../../errors.js'
import { platformOf } from '../../util/platform.js'
import { readFreshOutputs, removeStamp, writeStamp } from '../../util/stamp.js'
import { rustyVersion } from '../../util/rusty-version.js'
import { buildCdylib } from '../cdylib.js'
import { runtimeFile, runtimeSource, type OutputFile } from '../install.js'
import { artifactFileName } from '../../../templates/runtime/artifact-name.js'
import { HEADER_FILE, KOFFI_RUNTIME, hostLibraryFile } from './files.js'
import type { BackendBuild, BackendModule, BuildOptions } from '../types.js'
// execa is imported where a process is started, not above: a no-op develop
// starts none, and loading execa's bundle costs more than the rest of this
// backend (BENCHMARKS.md §3).

/**
 * The koffi backend: the crate is a plain C-ABI cdylib. cargo builds it; its
 * build.rs runs cbindgen, whose header rusty turns into `native/index.js`
 * (koffi declarations plus the conversions the conventions ask for) and
 * `native/index.d.ts`, regenerated on every build so the TypeScript side
 * cannot drift from the Rust side.
 */
export const backend: BackendModule = {
  name: 'koffi',

  async build(options: BuildOptions): Promise<BackendBuild> {
    const { project, reporter } = options
    const output = await buildCdylib(options, options.target, true)
    const library = output.cdylibFiles.find((file) => /\.(so|dylib|dll)$/.test(file))
    if (!library) throw new RustyError(`cargo reported no shared library for the crate (files: ${output.cdylibFiles.join(', ') || 'none'}).`)
    // The crate's own header when package.json names one ("rusty": { "header": ... }), else cbindgen's.
    const header = project.config.header ? path.resolve(project.crateDir, project.config.header) : output.outDir ? path.join(output.outDir, HEADER_FILE) : undefined
    const platform = await platformOf(options.target)
    const libraryFile = hostLibraryFile(output.libName)
    // The loader (platform.js with artifact-name.js, load-error.js with elf.js) and the helpers (ffi.js) the generated module imports.
    const runtime = KOFFI_RUNTIME.map((name) => runtimeFile(name))
    const files = [libraryFile, ...runtime.map((file) => file.dest), 'index.d.ts', 'index.js']
    const described = { files, library: libraryFile, artifactName: artifactFileName(path.basename(library), platform), platform, loadsInNode: options.target === undefined || platform === (await platformOf(undefined)) }

    // What native/ is made of: the library cargo wrote (-> the artifact), and
    // the header plus the runtime files (-> the bindings), each stamped by
    // size and mtime with rusty's version (.rusty/koffi-*-stamp.json). A no-op
    // develop then neither reads the multi-MiB library nor parses the header;
    // a rebuilt library with the same header is only copied into place. A
    // missing or edited file in native/ makes its stamp stale. A release
    // build into artifacts/ keeps stamps of its own.
    const prefix = path.join(project.stateDir, options.incremental ? 'koffi' : 'koffi-build')
    const [libraryStamp, bindingsStamp] = [`${prefix}-library-stamp.json`, `${prefix}-bindings-stamp.json`]
    const stampKey = JSON.stringify({ rusty: rustyVersion(), files, packageName: project.packageJson.name, crateDir: project.crateDir, header: project.config.header, target: options.target, features: options.features })
    const bindingInputs = header ? [header, ...KOFFI_RUNTIME.map((name) => runtimeSource(name))] : []
    const libraryFresh = await readFreshOutputs(libraryStamp, stampKey, [library])
    const bindingsFresh = header !== undefined && (await readFreshOutputs(bindingsStamp, stampKey, bindingInputs)) !== undefined
    // The stamp says nothing of where an artifact build put the library (its
    // key holds no output folder), so an artifact build always hands it over;
    // the stage skips it when the bytes already there are the same.
    const placeLibrary = !libraryFresh || !options.incremental
    if (!placeLibrary && bindingsFresh) {
      reporter.done('koffi bindings up to date')
      return { ...described, outputs: [] }
    }

    // The header reader and the generator load only when the bindings are stale.
    const bindings = bindingsFresh ? undefined : await (await import('./generate.js')).generateFromHeader(header, output, options)
    // Only what is stale is placed; its stamp goes first, so an interrupted
    // build is never taken as done, and is written again once it is in place.
    const outputs: OutputFile[] = []
    if (placeLibrary) {
      await removeStamp(libraryStamp)
      // Copied unread in develop: the stamp already says the library changed.
      outputs.push({ dest: libraryFile, role: 'library', source: { file: library }, unchecked: options.incremental })
    }
    if (bindings) {
      await removeStamp(bindingsStamp)
      outputs.push(...runtime, { dest: 'index.d.ts', role: 'typings', source: { content: bindings.dts } }, { dest: 'index.js', role: 'loader', source: { content: bindings.js } })
    }
    reporter.done(bindings ? 'Generated the koffi bindings' : 'koffi bindings up to date')
    return {
      ...described,
      outputs,
      afterCommit: async (placed) => {
        if (placeLibrary) await writeStamp(libraryStamp, stampKey, [library], [placed(libraryFile)])
        if (bindings) await writeStamp(bindingsStamp, stampKey, bindingInputs, files.slice(1).map(placed))
      },
    }
  },
}

