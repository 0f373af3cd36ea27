// Copied by rusty into a package's native/ folder beside its loader, and
// bundled into the CLI: a small reader of the ELF facts that decide whether
// a shared library can load on a Linux machine (its class, byte order and
// machine; the libraries it needs; the symbol versions it needs, such as
// GLIBC_2.34). One reader, so `rusty build`'s symbol check and a package's
// "why did it not load" message read a file the same way. No npm package
// read `.gnu.version_r` when this was written (elfy, elf-tools, elfinfo and
// elf-cam were checked), hence this file.
//
// Layouts from the System V ABI (ELF header, section headers, dynamic
// section) and the LSB's "Symbol Versioning" (Elf_Verneed, Elf_Vernaux).

/** A file that is not an ELF file, or whose ELF structures run past its end. */
export class ElfError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message)
    this.name = 'ElfError'
  }
}

const SHT_DYNAMIC = 6
const SHT_DYNSYM = 11
const SHT_GNU_VERNEED = 0x6ffffffe
const SHT_GNU_VERSYM = 0x6fffffff
const DT_NEEDED = 1
const SHN_XINDEX = 0xffff

/**
 * The Node.js `process.arch` of an ELF `e_machine` (values from the ELF
 * gABI's machine list, as glibc's elf.h spells them), or undefined for a
 * machine Node does not run on.
 *
 * @param {number} machine e_machine
 * @returns {string | undefined}
 */
export function archOfMachine(machine) {
  return { 3: 'ia32', 8: 'mips', 20: 'ppc', 21: 'ppc64', 22: 's390x', 40: 'arm', 62: 'x64', 183: 'arm64', 243: 'riscv64', 258: 'loong64' }[machine]
}

/**
 * Reads the ELF facts of a shared library.
 *
 * @param {Uint8Array} bytes the whole file
 * @returns {{
 *   bits: 32 | 64, littleEndian: boolean, type: number, machine: number,
 *   sections: { name: string, type: number, offset: number, size: number }[],
 *   needed: string[],
 *   versionNeeds: { file: string, versions: string[] }[],
 *   importedSymbols: { name: string, version: string }[],
 * }} `bits` and `littleEndian` from e_ident; `type` (3 = a shared object)
 *   and `machine` from the header; every section with its name; `needed`:
 *   the DT_NEEDED libraries (`libc.so.6`, ...); `versionNeeds`: per needed
 *   library, the symbol versions the file asks of it (`GLIBC_2.34`, ...),
 *   empty when it has no `.gnu.version_r` (a musl library, a static one);
 *   `importedSymbols`: each undefined dynamic symbol that asks for one of
 *   those versions (`pthread_create` at `GLIBC_2.34`)
 * @throws {ElfError} when the bytes do not start with the ELF magic, have an
 *   unknown class or byte order, or a structure runs past the end
 */
export function readElf(bytes) {
  if (bytes.length < 16 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    throw new ElfError('not an ELF file (no \\x7fELF magic at its start)')
  }
  const bits = bytes[4] === 1 ? 32 : bytes[4] === 2 ? 64 : undefined
  if (bits === undefined) throw new ElfError(`unknown ELF class ${bytes[4]}`)
  const littleEndian = bytes[5] === 1 ? true : bytes[5] === 2 ? false : undefined
  if (littleEndian === undefined) throw new ElfError(`unknown ELF byte order ${bytes[5]}`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const is64 = bits === 64

  /** Bounds-checked reads: a truncated file is an ElfError naming what was cut off. */
  const need = (offset, length, what) => {
    if (offset < 0 || length < 0 || offset + length > bytes.length) {
      throw new ElfError(`truncated: the ${what} (bytes ${offset}-${offset + length}) is past the end of the file (${bytes.length} bytes)`)
    }
  }
  const u16 = (offset, what) => (need(offset, 2, what), view.getUint16(offset, littleEndian))
  const u32 = (offset, what) => (need(offset, 4, what), view.getUint32(offset, littleEndian))
  const word = (offset, what) => (is64 ? (need(offset, 8, what), Number(view.getBigUint64(offset, littleEndian))) : u32(offset, what))
  const string = (table, index) => {
    const start = table.offset + index
    if (index >= table.size) throw new ElfError(`truncated: a name at ${index} is past its string table (${table.size} bytes)`)
    need(start, 1, 'string table')
    const end = bytes.indexOf(0, start)
    if (end === -1 || end > table.offset + table.size) throw new ElfError('truncated: a name runs past its string table')
    return new TextDecoder().decode(bytes.subarray(start, end))
  }

  const header = 'ELF header'
  const type = u16(16, header)
  const machine = u16(18, header)
  const shoff = word(is64 ? 0x28 : 0x20, header)
  const shentsize = u16(is64 ? 0x3a : 0x2e, header)
  let shnum = u16(is64 ? 0x3c : 0x30, header)
  let shstrndx = u16(is64 ? 0x3e : 0x32, header)

  const sectionAt = (index) => {
    const at = shoff + index * shentsize
    const what = `section header ${index}`
    return {
      nameIndex: u32(at, what),
      type: u32(at + 4, what),
      offset: word(at + (is64 ? 0x18 : 0x10), what),
      size: word(at + (is64 ? 0x20 : 0x14), what),
      link: u32(at + (is64 ? 0x28 : 0x18), what),
      info: u32(at + (is64 ? 0x2c : 0x1c), what),
    }
  }
  // More than 0xff00 sections: the real count and name-table index live in section 0.
  if (shoff !== 0 && (shnum === 0 || shstrndx === SHN_XINDEX)) {
    const first = sectionAt(0)
    if (shnum === 0) shnum = first.size
    if (shstrndx === SHN_XINDEX) shstrndx = first.link
  }
  const raw = shoff === 0 ? [] : Array.from({ length: shnum }, (_, index) => sectionAt(index))
  const names = raw[shstrndx]
  const sections = raw.map((section) => ({
    name: names && section.nameIndex !== 0 ? string(names, section.nameIndex) : '',
    type: section.type,
    offset: section.offset,
    size: section.size,
  }))
  const stringTable = (section) => {
    const table = raw[section.link]
    if (!table) throw new ElfError(`truncated: section link ${section.link} names no section`)
    need(table.offset, table.size, 'string table')
    return table
  }

  const needed = []
  for (const section of raw.filter((s) => s.type === SHT_DYNAMIC)) {
    const strings = stringTable(section)
    const size = is64 ? 16 : 8
    for (let at = section.offset; at + size <= section.offset + section.size; at += size) {
      const tag = word(at, 'dynamic section')
      if (tag === 0) break
      if (tag === DT_NEEDED) needed.push(string(strings, word(at + size / 2, 'dynamic section')))
    }
  }

  // Elf_Verneed (16 bytes: version, count, file, aux, next) and its
  // Elf_Vernaux entries (16 bytes: hash, flags, other, name, next), the same
  // in 32- and 64-bit files; sh_info holds the number of Elf_Verneed.
  const versionNeeds = []
  // vna_other: the index by which .gnu.version names each needed version.
  const versionByIndex = new Map()
  for (const section of raw.filter((s) => s.type === SHT_GNU_VERNEED)) {
    const strings = stringTable(section)
    let at = section.offset
    for (let n = 0; n < section.info; n++) {
      const what = '.gnu.version_r'
      const count = u16(at + 2, what)
      const file = string(strings, u32(at + 4, what))
      const versions = []
      let aux = at + u32(at + 8, what)
      for (let k = 0; k < count; k++) {
        const name = string(strings, u32(aux + 8, what))
        versions.push(name)
        versionByIndex.set(u16(aux + 6, what), name)
        const next = u32(aux + 12, what)
        if (next === 0) break
        aux += next
      }
      versionNeeds.push({ file, versions })
      const next = u32(at + 12, what)
      if (next === 0) break
      at += next
    }
  }

  // .gnu.version holds one 16-bit version index per .dynsym entry (bit 15:
  // hidden); an undefined symbol (st_shndx 0) with a needed version's index is
  // one the file imports at that version.
  const importedSymbols = []
  const versym = raw.find((s) => s.type === SHT_GNU_VERSYM)
  const dynsym = raw.find((s) => s.type === SHT_DYNSYM)
  if (versym && dynsym && versionByIndex.size > 0) {
    const strings = stringTable(dynsym)
    const size = is64 ? 24 : 16
    const count = Math.min(Math.floor(dynsym.size / size), Math.floor(versym.size / 2))
    for (let i = 1; i < count; i++) {
      const at = dynsym.offset + i * size
      const version = versionByIndex.get(u16(versym.offset + i * 2, '.gnu.version') & 0x7fff)
      if (version === undefined || u16(at + (is64 ? 6 : 14), '.dynsym') !== 0) continue
      importedSymbols.push({ name: string(strings, u32(at, '.dynsym')), version })
    }
  }
  return { bits, littleEndian, type, machine, sections, needed, versionNeeds, importedSymbols }
}

/**
 * Compares dotted version numbers as numbers, as symbol versions are
 * ordered (`2.2.5` < `2.17` < `2.34`): negative, zero or positive.
 *
 * @param {string} a
 * @param {string} b
 * @returns {number}
 */
export function compareVersions(a, b) {
  const x = a.split('.').map(Number)
  const y = b.split('.').map(Number)
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}
