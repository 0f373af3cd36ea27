// ELF files for the tests of the ELF reader, the glibc floor check and the
// loaders' "why it did not load" messages: real shared objects linked here
// by the host C/C++ compiler, and small synthetic ones for the classes and
// byte orders this machine cannot link (32-bit, big-endian).
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { tempDir } from './helpers.js'

/**
 * Compiles `source` into a shared object with the host compiler (`cc`, or
 * `c++` when `cxx`), linked against this machine's glibc (2.36 here).
 *
 * @returns the .so's path, in a fresh temp folder
 */
export function compileSharedObject(name: string, source: string, options: { cxx?: boolean; args?: string[] } = {}): string {
  const dir = tempDir('rusty-elf-')
  const src = path.join(dir, `${name}.${options.cxx ? 'cpp' : 'c'}`)
  const out = path.join(dir, `lib${name}.so`)
  fs.writeFileSync(src, source)
  execFileSync(options.cxx ? 'c++' : 'cc', ['-shared', '-fPIC', '-O1', '-o', out, src, ...(options.args ?? [])], { stdio: 'pipe' })
  return out
}

/** C source of a library that starts a thread: pthread_create is `GLIBC_2.34` with glibc >= 2.34. */
export const THREAD_SOURCE = `#include <pthread.h>
static void *run(void *arg) { return arg; }
int start_thread(void) { pthread_t t; if (pthread_create(&t, 0, run, 0)) return -1; return pthread_join(t, 0); }
`

/** C++ source of a library that uses std::string (the C++11 ABI: `GLIBCXX_3.4.21`). */
export const CXX_SOURCE = `#include <string>
extern "C" int shout(const char *s) { std::string x(s); x += "!"; return (int)x.size(); }
`

/** The symbol versions `objdump -T` shows imported symbols at in `file` (binutils, the reference reader), sorted. */
export function objdumpVersions(file: string): string[] {
  const out = execFileSync('objdump', ['-T', file], { encoding: 'utf8' })
  // An imported symbol's line shows its version in parentheses: `(GLIBC_2.34) pthread_create`.
  return [...new Set([...out.matchAll(/\(([A-Z]+(?:_[A-Z]+)*_[0-9][0-9.]*)\)/g)].map((m) => m[1]!))].sort()
}

/**
 * A minimal synthetic ELF shared object: header, section headers, a
 * `.dynstr`, a `.gnu.version_r` needing `versions` from `libc.so.6`, and
 * `.shstrtab`; any class and byte order. Layouts from the System V ABI and
 * the LSB's symbol versioning.
 *
 * @param machine e_machine (62: x86-64, 183: AArch64, 3: i386, 21: ppc64)
 */
export function syntheticElf(options: { bits: 32 | 64; littleEndian: boolean; machine: number; versions: string[] }): Buffer {
  const { bits, littleEndian, machine, versions } = options
  const is64 = bits === 64
  // String tables: index 0 is the empty name.
  const table = (names: string[]) => {
    const offsets = new Map<string, number>()
    let text = '\0'
    for (const name of names) {
      offsets.set(name, text.length)
      text += `${name}\0`
    }
    return { bytes: Buffer.from(text, 'latin1'), offsets }
  }
  const dynstr = table(['libc.so.6', ...versions])
  const shstr = table(['.dynstr', '.gnu.version_r', '.shstrtab'])
  // .gnu.version_r: one Elf_Verneed (16 bytes) then one Elf_Vernaux (16 bytes) per version.
  const verneed = Buffer.alloc(16 + 16 * versions.length)
  const w16 = (b: Buffer, at: number, v: number) => (littleEndian ? b.writeUInt16LE(v, at) : b.writeUInt16BE(v, at))
  const w32 = (b: Buffer, at: number, v: number) => (littleEndian ? b.writeUInt32LE(v, at) : b.writeUInt32BE(v, at))
  const wWord = (b: Buffer, at: number, v: number) => (is64 ? (littleEndian ? b.writeBigUInt64LE(BigInt(v), at) : b.writeBigUInt64BE(BigInt(v), at)) : w32(b, at, v))
  w16(verneed, 0, 1)
  w16(verneed, 2, versions.length)
  w32(verneed, 4, dynstr.offsets.get('libc.so.6')!)
  w32(verneed, 8, 16)
  w32(verneed, 12, 0)
  versions.forEach((version, i) => {
    const at = 16 + 16 * i
    w16(verneed, at + 6, i + 2)
    w32(verneed, at + 8, dynstr.offsets.get(version)!)
    w32(verneed, at + 12, i === versions.length - 1 ? 0 : 16)
  })
  const ehsize = is64 ? 64 : 52
  const shentsize = is64 ? 64 : 40
  const dynstrAt = ehsize
  const verneedAt = dynstrAt + dynstr.bytes.length
  const shstrAt = verneedAt + verneed.length
  const shoff = shstrAt + shstr.bytes.length
  const file = Buffer.alloc(shoff + 4 * shentsize)
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, littleEndian ? 1 : 2, 1]).copy(file, 0)
  w16(file, 16, 3)
  w16(file, 18, machine)
  w32(file, 20, 1)
  wWord(file, is64 ? 0x28 : 0x20, shoff)
  w16(file, is64 ? 0x34 : 0x28, ehsize)
  w16(file, is64 ? 0x3a : 0x2e, shentsize)
  w16(file, is64 ? 0x3c : 0x30, 4)
  w16(file, is64 ? 0x3e : 0x32, 3)
  dynstr.bytes.copy(file, dynstrAt)
  verneed.copy(file, verneedAt)
  shstr.bytes.copy(file, shstrAt)
  const section = (index: number, name: string, type: number, offset: number, size: number, link: number, info: number) => {
    const at = shoff + index * shentsize
    w32(file, at, shstr.offsets.get(name)!)
    w32(file, at + 4, type)
    wWord(file, at + (is64 ? 0x18 : 0x10), offset)
    wWord(file, at + (is64 ? 0x20 : 0x14), size)
    w32(file, at + (is64 ? 0x28 : 0x18), link)
    w32(file, at + (is64 ? 0x2c : 0x1c), info)
  }
  section(1, '.dynstr', 3, dynstrAt, dynstr.bytes.length, 0, 0)
  section(2, '.gnu.version_r', 0x6ffffffe, verneedAt, verneed.length, 1, 1)
  section(3, '.shstrtab', 3, shstrAt, shstr.bytes.length, 0, 0)
  return file
}
