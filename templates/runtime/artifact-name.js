// Copied by rusty into a package's native/ folder beside platform.js: the
// naming rule of artifacts (`<stem>.<platform>.<extension>`). It imports
// nothing, so rusty's own backends and publish use it without loading
// detect-libc (a no-op develop stays cheap).

// The one naming rule for artifacts: `rusty build` names its output with
// it, `--collect` and `rusty publish` read names back with it, and the loader
// (findLibrary in platform.js) looks for a collected artifact by it. The platform ids
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
 *   `extension` without its dot; `platform` a platform id (see platformId in platform.js)
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
 * @param {string} platform a platform id (see platformId in platform.js)
 * @returns {string}
 */
export function artifactFileName(localFile, platform) {
  const m = /^(?:lib(.+)\.(?:so|dylib)|(.+)\.dll)$/.exec(localFile)
  const stem = m ? (m[1] ?? m[2] ?? '') : localFile.replace(/\.[^.]*$/, '')
  if (platform.startsWith('win32-')) return artifactName({ stem, platform, extension: 'dll' })
  return artifactName({ stem: `lib${stem}`, platform, extension: platform.startsWith('darwin-') ? 'dylib' : 'so' })
}
