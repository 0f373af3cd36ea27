import fs from 'node:fs/promises'
import path from 'node:path'
import { CancelledError, RustyError } from '../../errors.js'
import { fsExtra } from '../../util/files.js'
import { platformOf } from '../../util/platform.js'
import { withInterrupts } from '../../util/signals.js'
import { ensureCargo } from '../../util/cargo.js'
import { importProjectTool, resolveProjectTool } from '../../project/tools.js'
import { runtimeFile, type OutputFile, type OutputRole } from '../install.js'
import { captureCargoInvocation, napiStampFile, tryFastPath, writeNapiStamp } from './fast-path.js'
import { findUncaughtPanicSites } from './panics.js'
import { declaredClasses, patchLoader } from './loader.js'
import type { BackendBuild, BackendModule, BuildOptions } from '../types.js'

/**
 * The napi backend: the crate is a napi-rs addon. Building, the platform
 * loader (`native/index.js`) and the typings (`native/index.d.ts`) all come
 * from napi-rs's own tooling (the `NapiCli` API of the project's
 * @napi-rs/cli devDependency), so rusty
 * never re-implements napi-derive's type-definition protocol. napi-rs writes
 * its output into `.rusty/napi`, which the pipeline places.
 */
export const backend: BackendModule = {
  name: 'napi',

  async build(options: BuildOptions): Promise<BackendBuild> {
    const { project, reporter } = options
    // `rusty develop` for the host: when nothing napi-rs decides on changed,
    // run its cargo command without loading it (src/backends/napi/fast-path.ts).
    const develop = options.target === undefined && options.incremental
    const stampFile = napiStampFile(options)
    if (develop) {
      const fast = await tryFastPath(options, stampFile)
      if (fast) {
        reporter.done(fast.outputs.length === 0 ? 'napi binding up to date' : `Rebuilt ${fast.library} (typings and loader unchanged)`)
        return fast
      }
    }
    await fs.rm(stampFile, { force: true })
    await ensureCargo()
    const staging = path.join(project.stateDir, 'napi')
    await (await fsExtra()).emptyDir(staging)

    // The project's own @napi-rs/cli (a devDependency), so its version is the project's choice.
    const { NapiCli, parseTriple } = await importProjectTool<typeof import('@napi-rs/cli')>(project.root, '@napi-rs/cli')
    const profile = options.release ? 'release' : 'dev'
    const uncaught = findUncaughtPanicSites(project.crateDir)
    if (uncaught.length > 0) {
      const where = uncaught.slice(0, 3).map((s) => `${s.fn} (${s.file}:${s.line})`).join(', ')
      reporter.warn(
        `${uncaught.length} #[napi] function${uncaught.length === 1 ? '' : 's'} without catch_unwind: a panic there aborts Node. Use #[napi(catch_unwind)] on ${where}${uncaught.length > 3 ? ', ...' : ''}.`,
      )
    }
    reporter.handOff(`Building ${path.relative(project.root, project.crateDir) || '.'} with cargo (napi-rs, ${profile} profile)`)
    let abort = () => {}
    const { result: outputs, cargo } = await captureCargoInvocation(() => withInterrupts(
      () => abort(),
      async (interrupted) => {
        try {
          const build = await new NapiCli().build({
            cwd: project.root,
            manifestPath: project.manifestPath,
            packageJsonPath: project.packageJsonPath,
            outputDir: staging,
            platform: true,
            // The platform packages the loader requires are `<name>-<platform>`
            // with package.json's name now, not a copy stored when the project
            // was made (`napi.packageName`): after `npm pkg set name=@scope/lib`
            // the loader asks for what `rusty publish` stages.
            jsPackageName: project.packageJson.name,
            esm: true,
            jsBinding: 'index.js',
            dts: 'index.d.ts',
            release: options.release,
            strip: options.release,
            target: options.target,
            // A release build for Linux (src/pipeline/cross.ts): napi-rs's own
            // switches for the same mechanisms, the gnu cross toolchain
            // (found where rusty unpacked it) or cargo zigbuild.
            useNapiCross: options.cross?.plan.kind === 'gnu' ? true : undefined,
            crossCompile: options.cross?.plan.kind === 'zig' ? true : undefined,
            features: options.features.length > 0 ? options.features : undefined,
            targetDir: options.targetDir,
            cargoOptions: options.cargoArgs,
          })
          abort = build.abort
          return await build.task
        } catch (error) {
          if (interrupted()) throw new CancelledError('Build cancelled; the previous build is unchanged.')
          throw buildError(error)
        }
      },
    ))

    const node = outputs.find((o) => o.kind === 'node')
    if (!node) {
      throw new RustyError('napi-rs built the crate but produced no .node file.', {
        hint: 'Check that rust/Cargo.toml has crate-type = ["cdylib"] and depends on napi-derive.',
      })
    }
    // The runtime files rusty's loader additions import (placed before the loader).
    const runtime = await patchStagedLoader(outputs, project.packageJson.name, reporter)
    // napi-rs names the artifact `<binaryName>.<platform>.node` already.
    const roles: Record<string, OutputRole> = { node: 'library', dts: 'typings', js: 'loader' }
    const files: OutputFile[] = [
      ...outputs.map((output): OutputFile => ({ dest: path.basename(output.path), role: roles[output.kind] ?? 'glue', source: { file: output.path } })),
      ...runtime.map((name) => runtimeFile(name)),
    ]
    const library = path.basename(node.path)
    const platform = /\.([^.]+)\.node$/.exec(node.path)?.[1] ?? parseTriple(options.target ?? '').platformArchABI
    return {
      outputs: files,
      // The .node first: the stamp's order.
      files: [library, ...files.map((file) => file.dest).filter((file) => file !== library)],
      library,
      artifactName: library,
      platform,
      loadsInNode: platform === (await platformOf(undefined)),
      afterCommit: async (placed) => {
        if (!develop) return
        const napiCliPackageJson = resolveProjectTool(project.root, '@napi-rs/cli', 'package.json')
        const placedFiles = [library, ...files.map((file) => file.dest).filter((file) => file !== library)].map(placed)
        await writeNapiStamp(options, stampFile, { cargo, napiCliPackageJson, node: placed(library), files: placedFiles, platform })
      },
    }
  },
}

/**
 * Adds rusty's panic codes and class guard (see `loader.ts`) to napi-rs's
 * staged loader, in place.
 *
 * @returns the runtime files (names in `templates/runtime/`) the loader now imports
 */
async function patchStagedLoader(outputs: { kind: string; path: string }[], packageName: string, reporter: BuildOptions['reporter']): Promise<string[]> {
  const loader = outputs.find((o) => o.kind === 'js')
  const typings = outputs.find((o) => o.kind === 'dts')
  if (!loader || !typings) return []
  const classes = declaredClasses(await fs.readFile(typings.path, 'utf8'))
  const patched = patchLoader(await fs.readFile(loader.path, 'utf8'), classes, packageName)
  if (patched === undefined) {
    reporter.warn("napi-rs's loader has an unknown shape: panics keep code 'GenericFailure' and classes can be called without `new`.")
    return []
  }
  await fs.writeFile(loader.path, patched.js)
  return patched.runtime
}

/** Turns napi-rs's build errors into one-line RustyErrors; cargo has already printed its diagnostics. */
function buildError(error: unknown): RustyError {
  const message = error instanceof Error ? error.message : String(error)
  const exit = /exit code (\d+)/.exec(message)
  if (exit) {
    return new RustyError(`cargo build failed (exit code ${exit[1]}); the compiler's messages are above.`, { cause: error })
  }
  return new RustyError(`napi-rs could not build the crate: ${message.split('\n')[0]}`, { cause: error })
}
