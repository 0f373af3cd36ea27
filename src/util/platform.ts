import { GLIBC, familySync } from 'detect-libc'

/**
 * The napi-rs platform id (`linux-x64-gnu`, `linux-x64-musl`, `darwin-arm64`,
 * `win32-x64-msvc`, ...) of a target triple, or of the machine rusty runs on
 * when `target` is undefined. A host build costs nothing: the id comes from
 * `process.platform`, `process.arch` and, on Linux, the C library detect-libc
 * finds (glibc or musl, the same check the koffi loader makes at run time).
 * Other triples go through napi-rs's own `parseTriple`.
 */
export async function platformOf(target?: string): Promise<string> {
  if (target === undefined) {
    const { platform, arch } = process
    if (platform === 'linux') {
      return `linux-${arch}-${familySync() === GLIBC ? 'gnu' : 'musl'}`
    }
    return platform === 'win32' ? `win32-${arch}-msvc` : `${platform}-${arch}`
  }
  const { parseTriple } = await import('@napi-rs/cli')
  return parseTriple(target).platformArchABI
}
