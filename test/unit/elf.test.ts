// The ELF reader (templates/runtime/elf.js, src/util/elf.ts) on real shared
// objects linked here, checked against binutils' objdump, and on synthetic
// files of the other classes and byte orders.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { ElfError, archOfMachine, readElf, readElfFile } from '../../src/util/elf.js'
import { CXX_SOURCE, THREAD_SOURCE, compileSharedObject, objdumpVersions, syntheticElf } from '../elf-fixtures.js'
import { tempDir } from '../helpers.js'

test('a shared object linked here: class, machine, needed libraries and version needs as objdump reads them', () => {
  const so = compileSharedObject('threads', THREAD_SOURCE)
  const elf = readElf(fs.readFileSync(so))
  assert.equal(elf.bits, 64)
  assert.equal(elf.littleEndian, true)
  assert.equal(elf.type, 3, 'a shared object')
  assert.equal(archOfMachine(elf.machine), process.arch)
  assert.ok(elf.needed.includes('libc.so.6'), elf.needed.join(', '))
  const versions = elf.versionNeeds.flatMap((need) => need.versions).sort()
  assert.deepEqual(versions, objdumpVersions(so))
  assert.ok(versions.includes('GLIBC_2.34'), 'pthread_create moved into libc in glibc 2.34')
  assert.deepEqual(
    elf.importedSymbols.filter((s) => s.name === 'pthread_create'),
    [{ name: 'pthread_create', version: 'GLIBC_2.34' }],
  )
  assert.ok(elf.sections.some((s) => s.name === '.gnu.version_r'))
})

test('a C++ shared object: GLIBCXX_ and CXXABI_ needs from libstdc++', () => {
  const so = compileSharedObject('cxx', CXX_SOURCE, { cxx: true })
  const elf = readElf(fs.readFileSync(so))
  const fromLibstdcxx = elf.versionNeeds.find((need) => need.file === 'libstdc++.so.6')
  assert.ok(fromLibstdcxx, JSON.stringify(elf.versionNeeds))
  assert.ok(fromLibstdcxx.versions.includes('GLIBCXX_3.4.21'), fromLibstdcxx.versions.join(', '))
  assert.deepEqual(elf.versionNeeds.flatMap((need) => need.versions).sort(), objdumpVersions(so))
})

test('a file with no version needs, and debug sections listed by name', () => {
  // -nostdlib: nothing from libc, so no .gnu.version_r at all.
  const so = compileSharedObject('bare', 'int answer(void) { return 42; }\n', { args: ['-nostdlib', '-g'] })
  const elf = readElf(fs.readFileSync(so))
  assert.deepEqual(elf.versionNeeds, [])
  assert.deepEqual(elf.importedSymbols, [])
  assert.ok(!elf.sections.some((s) => s.name === '.gnu.version_r'))
  assert.ok(elf.sections.some((s) => s.name === '.debug_info'), 'built with -g')
  assert.ok(elf.sections.some((s) => s.name === '.symtab'))
})

test('32- and 64-bit, little- and big-endian files read the same', () => {
  for (const bits of [32, 64] as const) {
    for (const littleEndian of [true, false]) {
      const elf = readElf(syntheticElf({ bits, littleEndian, machine: 21, versions: ['GLIBC_2.17', 'GLIBC_2.28'] }))
      assert.deepEqual([elf.bits, elf.littleEndian, elf.machine], [bits, littleEndian, 21])
      assert.deepEqual(elf.versionNeeds, [{ file: 'libc.so.6', versions: ['GLIBC_2.17', 'GLIBC_2.28'] }], `${bits}-bit ${littleEndian ? 'LE' : 'BE'}`)
      assert.deepEqual(elf.sections.map((s) => s.name), ['', '.dynstr', '.gnu.version_r', '.shstrtab'])
    }
  }
})

test('not an ELF file, or a truncated one: an ElfError saying so, not a crash', () => {
  assert.throws(() => readElf(Buffer.from('#!/bin/sh\necho hi\n')), { name: 'ElfError', message: /not an ELF file/ })
  assert.throws(() => readElf(Buffer.alloc(0)), ElfError)
  const real = fs.readFileSync(compileSharedObject('threads', THREAD_SOURCE))
  assert.throws(() => readElf(real.subarray(0, 40)), { name: 'ElfError', message: /truncated: the ELF header/ })
  // The header is whole but the section headers (at the end of the file) are cut off.
  assert.throws(() => readElf(real.subarray(0, 4096)), { name: 'ElfError', message: /truncated: the section header/ })
  const badClass = Buffer.from(real)
  badClass[4] = 9
  assert.throws(() => readElf(badClass), { name: 'ElfError', message: 'unknown ELF class 9' })
})

test('readElfFile names the file in a RustyError', async () => {
  const dir = tempDir()
  const text = path.join(dir, 'libfake.so')
  fs.writeFileSync(text, 'not a library')
  await assert.rejects(readElfFile(text), { name: 'RustyError', message: `${text} is not a readable shared library: not an ELF file (no \\x7fELF magic at its start).` })
  await assert.rejects(readElfFile(path.join(dir, 'missing.so')), { name: 'RustyError', message: /^Cannot read .*missing\.so: ENOENT/ })
})
