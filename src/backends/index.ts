import { RustyError } from '../errors.js'
import type { Project } from '../project/config.js'
import { BACKENDS, backendInfo } from './registry.js'
import type { Backend } from './types.js'

export type { Backend, BackendBuild, BackendModule, BuildOptions, BuildResult } from './types.js'
export { BACKENDS, BACKEND_NAMES, DEFAULT_BACKEND, backendInfo, isBackendName, type BackendInfo, type BackendName } from './registry.js'

/**
 * Loads the backend called `name`: its table entry joined with its module
 * (imported now, once).
 *
 * @throws RustyError (exit 2) for a name that is not in the table
 */
export async function loadBackend(name: string): Promise<Backend> {
  const info = backendInfo(name)
  const { backend } = await info.load()
  return { ...info, ...backend }
}

/**
 * The wasm target a build uses: `flag` (`--wasm-target`), else the
 * project's package.json `"rusty".wasmTarget`, else undefined (the backend's
 * default). Checked against the backend's `wasmTargets`, so a command never
 * needs to know which backend has targets.
 *
 * @throws RustyError (exit 2) for a target the backend does not have, or any
 *   target for a backend without wasm targets
 */
export function resolveWasmTarget(backend: Pick<Backend, 'name' | 'wasmTargets'>, project: Project, flag?: string): string | undefined {
  const value = flag ?? project.config.wasmTarget
  if (value === undefined) return undefined
  const source = flag === undefined ? `"rusty".wasmTarget in ${project.packageJsonPath}` : '--wasm-target'
  if (!backend.wasmTargets) {
    const withTargets = BACKENDS.filter((b) => b.wasmTargets).map((b) => b.name).join(', ')
    throw new RustyError(`${source} applies to the ${withTargets} backend only; this project uses ${backend.name}.`, { exitCode: 2 })
  }
  if (!backend.wasmTargets.includes(value)) {
    throw new RustyError(`Unknown ${source} ${JSON.stringify(value)}: use one of ${backend.wasmTargets.join(', ')}.`, { exitCode: 2 })
  }
  return value
}
