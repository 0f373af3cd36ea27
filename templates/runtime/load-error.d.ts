// Types of load-error.js for rusty's own TypeScript (its tests). Not copied
// into projects: only load-error.js is.

/** A machine's CPU and C library: `family` `'glibc'`, `'musl'` or null; `glibc` its version on glibc. */
export interface SystemLibc {
  arch: string
  family: string | null
  glibc: string | null
}

/** This machine's C library from Node's diagnostic report (detect-libc's first source). */
export declare function currentSystem(): SystemLibc
/** What a library needs, read from its ELF bytes: CPU, C library, newest GLIBC_ and the symbols at it. */
export declare function libraryNeeds(bytes: Uint8Array): { arch: string; bits: number; libc: 'glibc' | 'musl' | null; glibc: string | null; symbols: string[] }
/**
 * The Error for a library that exists but that the system refused: names
 * the package, platform, file, why, and the fix; `cause` is `error`.
 */
export declare function explainLoadFailure(options: {
  error: unknown
  file: string
  platform: string
  packageName: string
  system?: SystemLibc
  read?: (file: string) => Uint8Array
}): Error & { code?: string }
/** `load(file)`, or the explained Error when the system refuses the library. */
export declare function loadLibrary<T>(load: (file: string) => T, file: string, options: { packageName: string; platform: string; system?: () => SystemLibc }): T
/** Throws the explained Error when one of napi-rs's `loadErrors` is a refused `.node`. */
export declare function throwIfRefused(loadErrors: unknown[], packageName: string): void
