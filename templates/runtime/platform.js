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

// The one naming rule for artifacts: `rusty build` names its output with
// it, `--collect` and `rusty publish` read names back with it, and the loader
// (findLibrary below) looks for a collected artifact by it. The platform ids
// are napi-rs's (`<os>-<arch>[-<abi>]`), which also name the platform packages.
const PLATFORM_ID = '(?:linux|darwin|win32|freebsd|android|openharmony)-[a-z0-9]+(?:-[a-z0-9]+)?'
const ARTIFACT_NAME = new RegExp(`^(.+?)(?:\\.(${PLATFORM_ID}))?\\.([a-z0-9]+)$`)

/**
 * The file name of an artifact: `<stem>.<platform>.<extension>` for a
 * library built for one platform (`hello.linux-x64-gnu.node`,
 * `libhello.darwin-arm64.dylib`), `<stem>.<extension>` for one that serves
 * every platform (`hello.wasm`).
 *
 * @param {{ stem: string, platform?: string, extension: string }} parts
 *   `extension` without its dot; `platform` a platform id (see {@link platformId})
 * @returns {string}
 */
export function artifactName({ stem, platform, extension }) {
  return platform === undefined ? `${stem}.${extension}` : `${stem}.${platform}.${extension}`
}

/**
 * The parts of an artifact's file name (see {@link artifactName}): a
 * platform when the name carries a platform id before its extension. Which
 * extensions are artifacts is the caller's to say (rusty's backend table).
 *
 * @param {string} name a file name, no folder
 * @returns {{ stem: string, platform?: string, extension: string } | undefined}
 *   undefined for a name without an extension
 */
export function parseArtifactName(name) {
  const m = ARTIFACT_NAME.exec(name)
  if (!m) return undefined
  const [, stem, platform, extension] = m
  return platform === undefined ? { stem: stem ?? '', extension: extension ?? '' } : { stem: stem ?? '', platform, extension: extension ?? '' }
}

/**
 * The name `rusty build` gives the artifact of a cdylib on `platform`, from
 * the file name cargo gave it on the machine that generated the bindings
 * (`libhello.so`, `libhello.dylib` or `hello.dll`: cargo adds `lib` to the
 * first two only), in the library conventions of `platform`'s OS:
 * `libhello.linux-x64-gnu.so`, `libhello.darwin-arm64.dylib`,
 * `hello.win32-x64-msvc.dll` (see {@link artifactName}).
 *
 * @param {string} localFile
 * @param {string} platform a platform id (see {@link platformId})
 * @returns {string}
 */
export function artifactFileName(localFile, platform) {
  const m = /^(?:lib(.+)\.(?:so|dylib)|(.+)\.dll)$/.exec(localFile)
  const stem = m ? (m[1] ?? m[2] ?? '') : localFile.replace(/\.[^.]*$/, '')
  if (platform.startsWith('win32-')) return artifactName({ stem, platform, extension: 'dll' })
  return artifactName({ stem: `lib${stem}`, platform, extension: platform.startsWith('darwin-') ? 'dylib' : 'so' })
}

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
