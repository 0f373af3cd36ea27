import { RustyError } from '../errors.js'
import type { Backend } from './types.js'

/** The koffi backend (a C-ABI cdylib loaded with koffi). Not implemented in this version. */
export const backend: Backend = {
  name: 'koffi',
  label: 'koffi: a C-ABI cdylib loaded with koffi',
  unavailable: 'it is planned for a later release of rusty.',
  packageJsonFields: () => ({}),
  build: async () => {
    throw new RustyError('The koffi backend is not available yet in this version of rusty.', { exitCode: 2 })
  },
}
