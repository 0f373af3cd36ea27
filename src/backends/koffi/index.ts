import fs from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { RustyError } from '../../errors.js'
import { fsExtra } from '../../util/files.js'
import { platformOf } from '../../util/platform.js'
import { readFreshOutputs, removeStamp, writeStamp } from '../../util/stamp.js'
import { rustyVersion } from '../../util/rusty-version.js'
import { projectPackageManager } from '../../util/package-manager.js'
import { buildCdylib } from '../cdylib.js'
import { installOutput, runtimeFile, runtimeSource, type GeneratorOutput } from '../install.js'
import { artifactFileName } from '../../../templates/runtime/platform.js'
import { HEADER_FILE, KOFFI_RUNTIME, hostLibraryFile } from './files.js'
import type { BackendModule, BuildOptions, BuildResult } from '../types.js'
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

  async build(options: BuildOptions): Promise<BuildResult> {
    const { project, reporter } = options
    const output = await buildCdylib(options, options.target, true)
    const library = output.cdylibFiles.find((file) => /\.(so|dylib|dll)$/.test(file))
    if (!library) throw new RustyError(`cargo reported no shared library for the crate (files: ${output.cdylibFiles.join(', ') || 'none'}).`)
    // The crate's own header when package.json names one ("rusty": { "header": ... }), else cbindgen's.
    const header = project.config.header ? path.resolve(project.crateDir, project.config.header) : output.outDir ? path.join(output.outDir, HEADER_FILE) : undefined
    const platform = await platformOf(options.target)
    const artifact = options.artifactsDir
      ? path.join(options.artifactsDir, artifactFileName(path.basename(library), platform))
      : path.join(project.nativeDir, hostLibraryFile(output.libName))
    const dts = path.join(project.nativeDir, 'index.d.ts')
    const js = path.join(project.nativeDir, 'index.js')
    // The loader (platform.js, load-error.js with elf.js) and the helpers (ffi.js) the generated module imports.
    const runtime = KOFFI_RUNTIME.map((name) => runtimeFile(project.nativeDir, name))
    const files = [artifact, ...runtime.map((file) => file.dest), dts, js]

    // What native/ is made of: the library cargo wrote (-> the artifact), and
    // the header plus the runtime files (-> the bindings), each stamped by
    // size and mtime with rusty's version (.rusty/koffi-*-stamp.json). A no-op
    // develop then neither reads the multi-MiB library nor parses the header;
    // a rebuilt library with the same header is only copied into place. A
    // missing or edited file in native/ makes its stamp stale.
    const prefix = path.join(project.stateDir, options.artifactsDir ? 'koffi-build' : 'koffi')
    const [libraryStamp, bindingsStamp] = [`${prefix}-library-stamp.json`, `${prefix}-bindings-stamp.json`]
    const stampKey = JSON.stringify({ rusty: rustyVersion(), files, packageName: project.packageJson.name, crateDir: project.crateDir, header: project.config.header, target: options.target, features: options.features })
    const bindingInputs = header ? [header, ...KOFFI_RUNTIME.map((name) => runtimeSource(name))] : []
    const bindingOutputs = [...runtime.map((file) => file.dest), dts, js]
    const libraryFresh = await readFreshOutputs(libraryStamp, stampKey, [library])
    const bindingsFresh = header !== undefined && (await readFreshOutputs(bindingsStamp, stampKey, bindingInputs)) !== undefined
    if (libraryFresh && bindingsFresh) {
      reporter.done('koffi bindings up to date')
      return { files, artifact, changed: false, platform }
    }

    // Generated before anything is installed: an unsupported declaration leaves native/ as it was.
    // The header reader and the generator load only when the bindings are stale.
    const bindings = bindingsFresh ? undefined : await (await import('./generate.js')).generateFromHeader(header, output, options)
    // The new module must load (with the new library) before it replaces the
    // last good one; a cross build cannot be loaded here and is not checked.
    if (bindings && platform === (await platformOf(undefined))) {
      await checkLoads(project.stateDir, library, hostLibraryFile(output.libName), bindings.js)
    }
    // Only what is stale is installed; its stamp goes first, so an
    // interrupted install is never taken as done.
    const install: GeneratorOutput = { files: [] }
    if (!libraryFresh) {
      await removeStamp(libraryStamp)
      // Copied unread: the stamp already says the library changed.
      install.files.push({ dest: artifact, role: 'library', source: { file: library }, unchecked: true })
    }
    if (bindings) {
      await removeStamp(bindingsStamp)
      install.files.push(
        ...runtime,
        { dest: dts, role: 'typings', source: { content: bindings.dts } },
        { dest: js, role: 'loader', source: { content: bindings.js } },
      )
    }
    const { changed } = await installOutput(install)
    if (!libraryFresh) await writeStamp(libraryStamp, stampKey, [library], [artifact])
    if (bindings) await writeStamp(bindingsStamp, stampKey, bindingInputs, bindingOutputs)
    reporter.done(bindings ? 'Generated the koffi bindings' : 'koffi bindings up to date')
    return { files, artifact, changed: changed.length > 0, platform }
  },
}

/**
 * Loads freshly generated bindings in a child Node process, with the freshly
 * built library, from a scratch folder in the project's state dir (so that
 * `koffi` resolves from the project's node_modules).
 *
 * @param stateDir the project's `.rusty/` folder
 * @param library the built library; copied to `libraryFile` beside the module
 * @param libraryFile the file name the module loads (`lib<name>.so`, ...)
 * @param js the generated `native/index.js`
 * @throws RustyError with the child's error when the module does not load;
 *   nothing in native/ has been touched then
 */
export async function checkLoads(stateDir: string, library: string, libraryFile: string, js: string): Promise<void> {
  const dir = path.join(stateDir, `koffi-check-${process.pid}`)
  await (await fsExtra()).emptyDir(dir)
  try {
    await fs.copyFile(library, path.join(dir, libraryFile))
    for (const name of KOFFI_RUNTIME) await fs.copyFile(runtimeSource(name), path.join(dir, name))
    await fs.writeFile(path.join(dir, 'index.js'), js)
    const url = pathToFileURL(path.join(dir, 'index.js')).href
    const { execa } = await import('execa')
    const result = await execa(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(url)})`], {
      cwd: dir,
      reject: false,
      stdin: 'ignore',
    })
    if (result.exitCode !== 0) {
      const stderr = String(result.stderr)
      const reason = /^(\w*Error[^\n]*)$/m.exec(stderr)?.[1] ?? stderr.trim().split('\n').at(-1) ?? `exit code ${result.exitCode}`
      if (/Cannot find (package|module) 'koffi'/.test(stderr)) {
        throw new RustyError('The project has no koffi installed, so the generated bindings cannot load; the previous build is unchanged.', {
          // The state dir is inside the project: the lookup walks up to its lockfile.
          hint: `Run \`${projectPackageManager(stateDir).format('install')}\` in the project (koffi is one of its dependencies).`,
        })
      }
      throw new RustyError(`The generated koffi bindings do not load (${reason}); the previous build is unchanged.`, {
        hint: 'This is a bug in rusty: please report it with the C declaration named above, and keep that item out of the C header meanwhile.',
      })
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true })
  }
}
