/**
 * The files the koffi backend reads and writes, and their names: cheap to
 * import, so a no-op build loads neither the header reader nor the
 * generator (`generate.ts`).
 */
import path from 'node:path'

/** Name of the header the koffi template's build.rs writes into its OUT_DIR. */
export const HEADER_FILE = 'bindings.h'

/** The runtime files the generated `native/index.js` imports (from `templates/runtime/`), installed beside it. */
export const KOFFI_RUNTIME = ['platform.js', 'artifact-name.js', 'ffi.js', 'load-error.js', 'elf.js'] as const

/** The file name cargo gives a cdylib on this machine: `lib<name>.so`, `lib<name>.dylib` or `<name>.dll`. */
export function hostLibraryFile(libName: string): string {
  if (process.platform === 'win32') return `${libName}.dll`
  return `lib${libName}.${process.platform === 'darwin' ? 'dylib' : 'so'}`
}

/** The crate's name from cargo's package id (`path+file:///.../hello#hello-rs@0.1.0`), else its folder's name. */
export function crateNameFromPackageId(packageId: string, crateDir: string): string {
  const m = /#([^@#/]+)@/.exec(packageId)
  return m?.[1] ?? path.basename(crateDir)
}
