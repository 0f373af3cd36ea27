// Copied by rusty into a package's native/ folder: when the library for
// this platform is there but the operating system refuses to load it, says
// why in terms a user can act on (glibc too old, built for the other C
// library, built for another CPU) instead of the bare dlopen message. Read
// only on that failure path. Dependency-free, so napi packages (which have
// no dependencies) can ship it too.
import { readFileSync } from 'node:fs'
import { archOfMachine, compareVersions, readElf } from './elf.js'

/**
 * This machine's C library, as detect-libc finds it first: Node's own
 * diagnostic report (`header.glibcVersionRuntime` on glibc; a loaded
 * `libc.musl-*` or `ld-musl-*` on musl).
 *
 * @returns {{ arch: string, family: 'glibc' | 'musl' | null, glibc: string | null }}
 */
export function currentSystem() {
  let family = null
  let glibc = null
  if (process.platform === 'linux' && process.report && typeof process.report.getReport === 'function') {
    const report = process.report.getReport()
    glibc = report?.header?.glibcVersionRuntime ?? null
    if (glibc) family = 'glibc'
    else if (report?.sharedObjects?.some((f) => f.includes('libc.musl-') || f.includes('ld-musl-'))) family = 'musl'
  }
  return { arch: process.arch, family, glibc }
}

/**
 * What a library needs of the system, read from its ELF file: its CPU, its
 * C library (`libc.so.6` is glibc, `libc.musl-*` musl) and the newest
 * `GLIBC_x.y` it asks for.
 *
 * @param {Uint8Array} bytes
 * @returns {{ arch: string, bits: number, libc: 'glibc' | 'musl' | null, glibc: string | null, symbols: string[] }}
 * @throws {Error} (an ElfError) when the file is not a readable ELF file
 */
export function libraryNeeds(bytes) {
  const elf = readElf(bytes)
  const arch = archOfMachine(elf.machine) ?? `ELF machine ${elf.machine}`
  const libc = elf.needed.some((n) => n.startsWith('libc.musl-')) ? 'musl' : elf.needed.includes('libc.so.6') ? 'glibc' : null
  let glibc = null
  for (const version of elf.versionNeeds.flatMap((need) => need.versions)) {
    const m = /^GLIBC_(\d+(?:\.\d+)*)$/.exec(version)
    if (m && (glibc === null || compareVersions(m[1], glibc) > 0)) glibc = m[1]
  }
  const symbols = glibc === null ? [] : elf.importedSymbols.filter((s) => s.version === `GLIBC_${glibc}`).map((s) => s.name)
  return { arch, bits: elf.bits, libc, glibc, symbols: [...new Set(symbols)].sort() }
}

/**
 * The Error to throw when `file`, the library for `platform`, exists but
 * the system refused to load it (`error`, dlopen's failure as Node or koffi
 * reported it, is kept as `cause`). The message names the package, the
 * platform id, the file, why (CPU, C library, or glibc version compared with
 * this system's) and what to do.
 *
 * @param {{ error: unknown, file: string, platform: string, packageName: string,
 *   system?: { arch: string, family: string | null, glibc: string | null },
 *   read?: (file: string) => Uint8Array }} options
 *   `system`: this machine (default {@link currentSystem}; a koffi package
 *   passes detect-libc's familySync/versionSync)
 * @returns {Error} with `code` copied from `error` (`ERR_DLOPEN_FAILED` from Node)
 */
export function explainLoadFailure({ error, file, platform, packageName, system = currentSystem(), read = readFileSync }) {
  const systemText = `this system: ${system.arch}, ${system.family === 'glibc' ? `glibc ${system.glibc ?? '(version unknown)'}` : (system.family ?? 'C library unknown')}`
  let needs
  try {
    needs = libraryNeeds(read(file))
  } catch (cause) {
    needs = { unreadable: cause instanceof Error ? cause.message : String(cause) }
  }
  const needsText = needs.unreadable
    ? `it is not a readable shared library (${needs.unreadable})`
    : `it needs ${needs.arch}${needs.libc ? `, ${needs.libc}` : ''}${needs.glibc ? ` ${needs.glibc} or newer` : ''}`
  let why
  let fix
  if (needs.unreadable) {
    why = 'the file is damaged or not a library'
    fix = `Reinstall ${packageName}.`
  } else if (needs.arch !== system.arch) {
    why = `it is built for ${needs.arch}, not ${system.arch}`
    fix = `Install ${packageName} on this machine itself (npm picks the platform package of the machine that runs npm install), or use a Node built for ${needs.arch}.`
  } else if (needs.libc && system.family && needs.libc !== system.family) {
    why = `it is built for ${needs.libc}, and this system uses ${system.family}`
    fix = `Install ${packageName} on this system itself, so that npm picks its ${system.family === 'musl' ? 'musl' : 'gnu'} platform package (node_modules copied from another Linux carry the wrong one).`
  } else if (needs.glibc && system.family === 'glibc' && system.glibc && compareVersions(needs.glibc, system.glibc) > 0) {
    const shown = needs.symbols.slice(0, 3).join(', ') + (needs.symbols.length > 3 ? ', ...' : '')
    why = `it needs glibc ${needs.glibc}${shown ? ` (${shown})` : ''} and this system has glibc ${system.glibc}`
    fix = `Upgrade this system's glibc, or ask the authors of ${packageName} to build it for an older glibc (rusty build's default floor is 2.17).`
  } else {
    why = 'the system said: ' + (error instanceof Error ? error.message : String(error)).replace(/\.$/, '')
    fix = undefined
  }
  const message =
    `${packageName} cannot load its library for ${platform} (${file}): ${why}. ` +
    `The library: ${needsText}; ${systemText}.${fix ? ` ${fix}` : ''}`
  const explained = new Error(message, { cause: error })
  if (error && typeof error === 'object' && 'code' in error) explained.code = error.code
  return explained
}

/**
 * For a koffi package's module (native/index.js): `load(file)`, and when the
 * system refuses the library, {@link explainLoadFailure}'s Error instead of
 * koffi's bare one.
 *
 * @template T
 * @param {(file: string) => T} load koffi's `load`
 * @param {string} file the library findLibrary chose
 * @param {{ packageName: string, platform: string, system?: () => { arch: string, family: string | null, glibc: string | null } }} options
 *   `system`: read only on failure (default {@link currentSystem})
 * @returns {T}
 * @throws {Error} the explained failure, with koffi's error as `cause`
 */
export function loadLibrary(load, file, { packageName, platform, system = currentSystem }) {
  try {
    return load(file)
  } catch (error) {
    throw explainLoadFailure({ error, file, platform, packageName, system: system() })
  }
}

/**
 * For napi-rs's loader (native/index.js): when one of `loadErrors` is a
 * library that exists but did not load (Node's `ERR_DLOPEN_FAILED`), throws
 * {@link explainLoadFailure}'s Error for it; else returns, and the loader
 * throws its own "Cannot find native binding".
 *
 * @param {unknown[]} loadErrors the loader's failed attempts, in order
 * @param {string} packageName
 * @throws {Error} the explained failure
 */
export function throwIfRefused(loadErrors, packageName) {
  const refused = loadErrors.find((e) => e && typeof e === 'object' && e.code === 'ERR_DLOPEN_FAILED')
  if (!refused) return
  const message = String(refused.message)
  // dlerror's text: `<file>: <reason>`, or for a missing version
  // `<libc>: version `GLIBC_2.39' not found (required by <file>)`.
  const file = /\(required by ([^)]+)\)/.exec(message)?.[1] ?? /^(.+?\.node): /.exec(message)?.[1]
  if (!file) return
  const platform = /\.([a-z0-9]+-[a-z0-9]+(?:-[a-z0-9]+)?)\.node$/.exec(file)?.[1] ?? `${process.platform}-${process.arch}`
  throw explainLoadFailure({ error: refused, file, platform, packageName })
}
