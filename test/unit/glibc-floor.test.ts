// The glibc floor check (src/pipeline/glibc-floor.ts), auditwheel's check for
// rusty's artifacts, on shared objects linked here against glibc 2.36.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { checkGlibcFloor, compareVersions, floorAllowing, floorViolation, symbolVersionLimits } from '../../src/pipeline/glibc-floor.js'
import { readElf } from '../../src/util/elf.js'
import { CXX_SOURCE, THREAD_SOURCE, compileSharedObject, syntheticElf } from '../elf-fixtures.js'

test('a library linked here without the floor is refused, naming GLIBC_2.34 and the symbols that need it', async () => {
  const so = compileSharedObject('threads', THREAD_SOURCE)
  const violation = floorViolation(readElf(fs.readFileSync(so)), '2.17')
  assert.deepEqual(violation, { version: 'GLIBC_2.34', limit: 'GLIBC_2.17', symbols: ['pthread_create', 'pthread_join'] })
  await assert.rejects(checkGlibcFloor(so, '2.17', path.dirname(so)), {
    name: 'RustyError',
    exitCode: 1,
    message: 'libthreads.so needs GLIBC_2.34 (pthread_create, pthread_join), above the glibc floor 2.17 (at most GLIBC_2.17): it would not load on older Linux systems.',
  })
  // Allowed once the floor is the version it needs.
  assert.equal(floorViolation(readElf(fs.readFileSync(so)), '2.34'), undefined)
  await checkGlibcFloor(so, '2.36', path.dirname(so))
})

test('C++: GLIBCXX_ and CXXABI_ are held to the libstdc++ of the floor (auditwheel manylinux policy)', () => {
  assert.deepEqual(symbolVersionLimits('2.17'), { GLIBC: '2.17', GLIBCXX: '3.4.19', CXXABI: '1.3.7' })
  assert.deepEqual(symbolVersionLimits('2.28'), { GLIBC: '2.28', GLIBCXX: '3.4.24', CXXABI: '1.3.11' })
  assert.deepEqual(symbolVersionLimits('2.2'), { GLIBC: '2.2', GLIBCXX: '3.4.8', CXXABI: '1.3.1' }, 'below the table: its oldest row')
  assert.deepEqual(symbolVersionLimits('2.50'), { GLIBC: '2.50' }, 'above the table: no libstdc++ reference to hold it to')
  // std::string's C++11 ABI: GLIBCXX_3.4.21 (gcc 5), above CentOS 7's gcc 4.8.
  const elf = readElf(fs.readFileSync(compileSharedObject('cxx', CXX_SOURCE, { cxx: true })))
  assert.deepEqual(floorViolation(elf, '2.17')?.version, 'GLIBCXX_3.4.21')
  assert.equal(floorViolation(elf, '2.24'), undefined)
  assert.equal(floorAllowing('GLIBCXX_3.4.21'), '2.24')
  assert.equal(floorAllowing('CXXABI_1.3.13'), '2.34')
  assert.equal(floorAllowing('GLIBC_2.2.5'), '2.2')
  assert.equal(floorAllowing('GLIBCXX_3.4.99'), undefined)
})

test('the highest version is named; versions compare as numbers; private versions are passed over', () => {
  const elf = readElf(syntheticElf({ bits: 64, littleEndian: true, machine: 62, versions: ['GLIBC_2.2.5', 'GLIBC_2.28', 'GLIBC_PRIVATE', 'GLIBC_2.33', 'GLIBC_2.18'] }))
  assert.equal(floorViolation(elf, '2.17')?.version, 'GLIBC_2.33')
  assert.equal(floorViolation(elf, '2.33'), undefined)
  assert.ok(compareVersions('2.2.5', '2.17') < 0)
  assert.ok(compareVersions('2.34', '2.4') > 0)
  assert.equal(compareVersions('2.17', '2.17.0'), 0)
})

test('a library with no version needs (musl, or no libc) passes any floor', () => {
  const so = compileSharedObject('bare', 'int answer(void) { return 42; }\n', { args: ['-nostdlib'] })
  assert.equal(floorViolation(readElf(fs.readFileSync(so)), '2.5'), undefined)
})
