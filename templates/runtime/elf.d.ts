// Types of elf.js for rusty's own TypeScript (src/util/elf.ts re-exports it,
// so `rusty build`'s symbol check and a package's loader read ELF one way).
// Not copied into projects: only elf.js is.

/** A file that is not an ELF file, or whose ELF structures run past its end. */
export declare class ElfError extends Error {}

/** One section of an ELF file: its name (from the section name table), sh_type, and where it lies (bytes). */
export interface ElfSection {
  name: string
  type: number
  offset: number
  size: number
}

/** The ELF facts of a shared library that decide whether it can load (see readElf in elf.js). */
export interface ElfFacts {
  /** ELF class: 32- or 64-bit. */
  bits: 32 | 64
  littleEndian: boolean
  /** e_type (3: a shared object). */
  type: number
  /** e_machine (62: x86-64, 183: AArch64, ...). */
  machine: number
  sections: ElfSection[]
  /** DT_NEEDED: the shared libraries it links (`libc.so.6`, ...). */
  needed: string[]
  /** `.gnu.version_r`: per needed library, the symbol versions it asks for (`GLIBC_2.34`, ...). */
  versionNeeds: { file: string; versions: string[] }[]
  /** Each undefined dynamic symbol that asks for one of those versions (`pthread_create` at `GLIBC_2.34`), from `.dynsym` and `.gnu.version`. */
  importedSymbols: { name: string; version: string }[]
}

/**
 * Reads the ELF facts of a shared library from its bytes.
 *
 * @throws ElfError for a file that is not ELF or is truncated
 */
export declare function readElf(bytes: Uint8Array): ElfFacts
/** The Node.js `process.arch` of an ELF e_machine, or undefined. */
export declare function archOfMachine(machine: number): string | undefined
/** Compares dotted version numbers as numbers (`2.2.5` < `2.17` < `2.34`): negative, zero or positive. */
export declare function compareVersions(a: string, b: string): number
