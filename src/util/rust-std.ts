import path from 'node:path'

/**
 * Where a Rust toolchain keeps the standard library of a target:
 * `<sysroot>/lib/rustlib/<triple>/lib` (rustc's sysroot layout; what
 * `rustup target add <triple>` installs). The folder exists exactly when the
 * toolchain can build for `triple`.
 *
 * @param sysroot the toolchain's root, as `rustc --print sysroot` prints it (absolute)
 * @param triple a Rust target triple, e.g. `wasm32-unknown-unknown`
 * @returns an absolute path
 */
export function rustStdDir(sysroot: string, triple: string): string {
  return path.join(sysroot, 'lib', 'rustlib', triple, 'lib')
}
