import { RustyError } from '../errors.js'
import { BACKEND_NAMES, type BackendName, type Project } from '../project/config.js'
import type { Backend } from './types.js'

export type { Backend, BuildOptions, BuildResult, TemplateContext } from './types.js'

// One entry a backend; each module is imported only when it is used, so the
// CLI's start-up never pays for napi-rs, koffi or wasm-bindgen code.
const loaders: Record<BackendName, () => Promise<{ backend: Backend }>> = {
  napi: () => import('./napi/index.js'),
  koffi: () => import('./koffi/index.js'),
  wasm: () => import('./wasm/index.js'),
}

/**
 * Loads the backend called `name`.
 *
 * @throws RustyError (exit 2) for a name that is not one of napi, koffi, wasm
 */
export async function loadBackend(name: string): Promise<Backend> {
  if (!(BACKEND_NAMES as readonly string[]).includes(name)) {
    throw new RustyError(`Unknown backend ${JSON.stringify(name)}: use one of ${BACKEND_NAMES.join(', ')}.`, { exitCode: 2 })
  }
  return (await loaders[name as BackendName]()).backend
}

/**
 * The output target a build uses: `flag` (`--wasm-target`), else the
 * project's package.json `"rusty".wasmTarget`, else undefined (the backend's
 * default). Checked against what the backend offers, so a command never
 * needs to know which backend has targets.
 *
 * @throws RustyError (exit 2) for a target the backend does not have, or any
 *   target for a backend without targets
 */
export function resolveWasmTarget(backend: Backend, project: Project, flag?: string): string | undefined {
  const value = flag ?? project.config.wasmTarget
  if (value === undefined) return undefined
  const source = flag === undefined ? `"rusty".wasmTarget in ${project.packageJsonPath}` : '--wasm-target'
  if (!backend.wasmTargets) {
    throw new RustyError(`${source} applies to the wasm backend only; this project uses ${backend.name}.`, { exitCode: 2 })
  }
  if (!backend.wasmTargets.includes(value)) {
    throw new RustyError(`Unknown ${source} ${JSON.stringify(value)}: use one of ${backend.wasmTargets.join(', ')}.`, { exitCode: 2 })
  }
  return value
}
