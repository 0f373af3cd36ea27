/**
 * The napi-rs platform id (`linux-x64-gnu`, `linux-x64-musl`, `darwin-arm64`,
 * `win32-x64-msvc`, ...) of a target triple, or of the machine rusty runs on
 * when `target` is undefined. A host build costs nothing: the id comes from
 * `process.platform`, `process.arch` and, on Linux, whether Node itself runs on
 * glibc (its diagnostic report's `glibcVersionRuntime`, the check napi-rs's
 * loader makes). Other triples go through napi-rs's own `parseTriple`.
 */
export async function platformOf(target?: string): Promise<string> {
  if (target === undefined) {
    const { platform, arch } = process
    if (platform === 'linux') {
      const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header
      return `linux-${arch}-${header?.glibcVersionRuntime ? 'gnu' : 'musl'}`
    }
    return platform === 'win32' ? `win32-${arch}-msvc` : `${platform}-${arch}`
  }
  const { parseTriple } = await import('@napi-rs/cli')
  return parseTriple(target).platformArchABI
}
