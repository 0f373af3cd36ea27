// Types of platform.js for rusty's own TypeScript (src/util/platform.ts
// imports it, so the CLI and the packages' loader compute the platform id
// one way). Not copied into projects: only platform.js is.

/** The platform id of a machine, as napi-rs names platform packages: `linux-x64-gnu`, `darwin-arm64`, `win32-x64-msvc`, ... */
export declare function platformId(machine: { platform: string; arch: string; libc?: string | null }): string
/** The platform id of this machine (see {@link platformId}). */
export declare function currentPlatformId(): string
/** This machine's CPU and C library as detect-libc finds them (`family`: `'glibc'`, `'musl'` or null; `glibc`: its version). */
export declare function currentSystem(): { arch: string; family: string | null; glibc: string | null }
/** The parts of an artifact's file name: `platform` only for a library built for one platform. */
export interface ArtifactNameParts {
  stem: string
  /** A platform id (`linux-x64-gnu`); undefined for an artifact that serves every platform (`hello.wasm`). */
  platform?: string
  /** Without its dot: `node`, `so`, `wasm`. */
  extension: string
}
/** `<stem>.<platform>.<extension>` (`hello.linux-x64-gnu.node`), or `<stem>.<extension>` without a platform (`hello.wasm`). */
export declare function artifactName(parts: ArtifactNameParts): string
/** The parts of an artifact's file name (no folder); undefined for a name without an extension. Which extensions are artifacts is the caller's to say. */
export declare function parseArtifactName(name: string): ArtifactNameParts | undefined
/** The name `rusty build` gives the artifact of a cdylib on `platform`, in that OS's library conventions, e.g. `libhello.linux-x64-gnu.so`, `hello.win32-x64-msvc.dll`. */
export declare function artifactFileName(localFile: string, platform: string): string
/**
 * The path of the library to load: a local build beside the module, then
 * this platform's artifact, else the platform package `<packageName>-<platform>`.
 *
 * @throws Error naming the platform and the places tried, when nothing fits
 */
export declare function findLibrary(options: {
  baseUrl: string
  localFile: string
  packageName: string
  platform?: string
  resolve?: (request: string) => string
  exists?: (file: string) => boolean
}): string
