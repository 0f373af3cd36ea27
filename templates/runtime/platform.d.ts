// Types of platform.js for rusty's own TypeScript (src/util/platform.ts
// imports it, so the CLI and the packages' loader compute the platform id
// one way). Not copied into projects: only platform.js is.

/** The platform id of a machine, as napi-rs names platform packages: `linux-x64-gnu`, `darwin-arm64`, `win32-x64-msvc`, ... */
export declare function platformId(machine: { platform: string; arch: string; libc?: string | null }): string
/** The platform id of this machine (see {@link platformId}). */
export declare function currentPlatformId(): string
/** This machine's CPU and C library as detect-libc finds them (`family`: `'glibc'`, `'musl'` or null; `glibc`: its version). */
export declare function currentSystem(): { arch: string; family: string | null; glibc: string | null }
export { artifactName, parseArtifactName, artifactFileName, type ArtifactNameParts } from './artifact-name.js'
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
