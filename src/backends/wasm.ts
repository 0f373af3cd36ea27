import { RustyError } from '../errors.js'
import type { Backend } from './types.js'

/** The wasm backend (wasm-bindgen). Not implemented in this version. */
export const backend: Backend = {
  name: 'wasm',
  label: 'wasm: WebAssembly with wasm-bindgen, for Node and browsers',
  unavailable: 'it is planned for a later release of rusty.',
  packageJsonFields: () => ({}),
  build: async () => {
    throw new RustyError('The wasm backend is not available yet in this version of rusty.', { exitCode: 2 })
  },
}
