// Copied by rusty into a koffi package's native/ folder: finds the compiled
// library for the machine it runs on. Kept dependency-light on purpose; libc
// detection comes from detect-libc.
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import detectLibc from 'detect-libc'

/**
 * The platform id of a machine, as napi-rs names platform packages:
 * `linux-x64-gnu`, `linux-x64-musl`, `darwin-arm64`, `win32-x64-msvc`, ...
 *
 * @param {{ platform: string, arch: string, libc?: string | null }} machine
 *   `process.platform`, `process.arch`, and on Linux the C library family
 *   (`'glibc'` or `'musl'`, as detect-libc reports it)
 * @returns {string}
 */
export function platformId({ platform, arch, libc }) {
  if (platform === 'linux') return `linux-${arch}-${libc === 'musl' ? 'musl' : 'gnu'}`
  if (platform === 'win32') return `win32-${arch}-msvc`
  return `${platform}-${arch}`
}

/** The platform id of this machine (see {@link platformId}). */
export function currentPlatformId() {
  const libc = process.platform === 'linux' ? detectLibc.familySync() : null
  return platformId({ platform: process.platform, arch: process.arch, libc })
}

/**
 * This machine's CPU and C library as detect-libc finds them, for
 * load-error.js's message when a library does not load.
 *
 * @returns {{ arch: string, family: string | null, glibc: string | null }}
 */
export function currentSystem() {
  const family = process.platform === 'linux' ? detectLibc.familySync() : null
  return { arch: process.arch, family, glibc: family === 'glibc' ? detectLibc.versionSync() : null }
}

// The naming rule of artifacts lives in artifact-name.js (it imports nothing).
import { artifactFileName } from './artifact-name.js'
export { artifactName, parseArtifactName, artifactFileName } from './artifact-name.js'

/**
 * The path of the library to load: a local build beside this file first
 * (what `rusty develop` writes), then this platform's artifact beside it
 * (what `rusty build --collect <dir> --out native` puts there, as CI's test
 * jobs do), else the platform package `<packageName>-<platform>` from the
 * package's optionalDependencies.
 *
 * @param {{ baseUrl: string, localFile: string, packageName: string, platform?: string,
 *   resolve?: (request: string) => string, exists?: (file: string) => boolean }} options
 * @returns {string}
 * @throws {Error} naming the platform looked for and the places tried, when nothing fits
 */
export function findLibrary({ baseUrl, localFile, packageName, platform = currentPlatformId(), resolve, exists = existsSync }) {
  const local = fileURLToPath(new URL(`./${localFile}`, baseUrl))
  if (exists(local)) return local
  const artifact = fileURLToPath(new URL(`./${artifactFileName(localFile, platform)}`, baseUrl))
  if (exists(artifact)) return artifact
  const pkg = `${packageName}-${platform}`
  const resolveRequest = resolve ?? createRequire(baseUrl).resolve
  try {
    return resolveRequest(pkg)
  } catch (cause) {
    throw new Error(
      `${packageName} has no compiled library for this platform (${platform}). ` +
        `Tried ${local} (a local build), ${artifact} (a collected artifact) and the package ${pkg} (not installed: ` +
        'it may not be published for this platform, or optional dependencies were skipped).',
      { cause },
    )
  }
}
