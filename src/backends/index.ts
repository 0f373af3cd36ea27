import { RustyError } from '../errors.js'
import { BACKEND_NAMES, type BackendName } from '../project/config.js'
import type { Backend } from './types.js'

export type { Backend, BuildOptions, BuildResult, TemplateContext } from './types.js'

// One entry a backend; each module is imported only when it is used, so the
// CLI's start-up never pays for napi-rs, koffi or wasm-bindgen code.
const loaders: Record<BackendName, () => Promise<{ backend: Backend }>> = {
  napi: () => import('./napi.js'),
  koffi: () => import('./koffi.js'),
  wasm: () => import('./wasm.js'),
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
