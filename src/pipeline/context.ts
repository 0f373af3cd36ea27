import path from 'node:path'
import { loadBackend, resolveWasmTarget, type Backend, type BuildOptions } from '../backends/index.js'
import type { CommandScope } from '../project/scope.js'
import type { CargoOptions } from '../util/cargo.js'

/**
 * Where a build's outputs go, decided once, where the context is made
 * (maturin's `.editable(true)` for develop, its archive for a wheel):
 * `develop` places the whole binding in native/ through the build
 * transaction (src/pipeline/transaction.ts); `artifact` places the compiled
 * library in `dir` (absolute), named by platform, and the rest in native/.
 */
export type BuildMode = { kind: 'develop' } | { kind: 'artifact'; dir: string }

/**
 * What a command asks to build, as given: the cargo options ({@link
 * CargoOptions}, each optional; `targetDir` relative to the scope's `cwd`),
 * the mode and the wasm target.
 */
export interface BuildRequest extends Partial<CargoOptions> {
  /** Where the outputs go. */
  mode: BuildMode
  /** The wasm target flag (`--wasm-target`); default: package.json `"rusty".wasmTarget`, else the backend's first. */
  wasmTarget?: string
}

/**
 * One build, resolved once (maturin's `BuildContext`): the project, its
 * loaded backend and every option the backend receives, with absolute paths.
 * `develop`, `build` and `publish` make one with {@link prepareBuild} and hand
 * it to `runBuild` (`./run.ts`), as often as they build.
 */
export interface BuildContext extends BuildOptions {
  /** The folder the command's relative paths were resolved against. */
  cwd: string
  /** Where the outputs go. */
  mode: BuildMode
  /** The project's backend, loaded (table entry and module). */
  backend: Backend
}

/**
 * Resolves `request` in `scope` into a {@link BuildContext}: loads the
 * backend's module, checks the wasm target against the backend's
 * `wasmTargets`, and makes `targetDir` absolute (against `scope.cwd`).
 *
 * @throws RustyError (exit 2) for a wasm target the backend does not have
 */
export async function prepareBuild(scope: CommandScope, request: BuildRequest): Promise<BuildContext> {
  const { cwd, project, reporter } = scope
  const wasmTarget = resolveWasmTarget(scope.backendInfo, project, request.wasmTarget)
  const backend = await loadBackend(scope.backendInfo.name)
  return {
    cwd,
    project,
    backend,
    reporter,
    release: request.release ?? false,
    features: request.features ?? [],
    targetDir: request.targetDir === undefined ? undefined : path.resolve(cwd, request.targetDir),
    cargoArgs: request.cargoArgs ?? [],
    target: request.target,
    mode: request.mode,
    incremental: request.mode.kind === 'develop',
    wasmTarget,
  }
}

/**
 * The folder cargo writes into for `context`, for `develop --watch` to pass
 * over: `--target-dir`, else CARGO_TARGET_DIR (relative to the package root,
 * where cargo runs), else `<crate>/target`. A best guess for watching only:
 * the build itself passes `--target-dir` only when given and lets cargo
 * decide otherwise (its config files too).
 */
export function likelyTargetDir(context: Pick<BuildContext, 'targetDir' | 'project'>, env: NodeJS.ProcessEnv = process.env): string {
  if (context.targetDir !== undefined) return context.targetDir
  if (env.CARGO_TARGET_DIR) return path.resolve(context.project.root, env.CARGO_TARGET_DIR)
  return path.join(context.project.crateDir, 'target')
}
