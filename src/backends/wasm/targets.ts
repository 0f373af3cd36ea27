/**
 * The wasm backend's targets (`--wasm-target`, `"rusty".wasmTarget`),
 * the default first. A file of its own so the backend table
 * (`src/backends/registry.ts`) lists them without loading the backend.
 */
export const WASM_TARGETS = ['universal', 'nodejs', 'web', 'bundler'] as const
