import { RustyError } from '../errors.js'
import { BACKENDS, backendInfo, type BackendName } from '../project/backend-table.js'
import type { Project } from '../project/config.js'
import type { Backend, BackendModule } from './types.js'

export type { Backend, BackendBuild, BackendModule, BuildOptions, BuildResult } from './types.js'

/**
 * Each backend's code (`src/backends/<name>/index.ts`), imported only when a
 * build needs it: the table (src/project/backend-table.ts) is data only and
 * sits below project/, which this folder builds on.
 */
const MODULES: Record<BackendName, () => Promise<{ backend: BackendModule }>> = {
  napi: () => import('./napi/index.js'),
  koffi: () => import('./koffi/index.js'),
  wasm: () => import('./wasm/index.js'),
}

/**
 * Loads the backend called `name`: its table entry joined with its module
 * (imported now, once).
 *
 * @throws RustyError (exit 2) for a name that is not in the table
 */
export async function loadBackend(name: string): Promise<Backend> {
  const info = backendInfo(name)
  const { backend } = await MODULES[info.name]()
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
