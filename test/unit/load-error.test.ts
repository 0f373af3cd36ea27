// The loaders say why a library that exists does not load
// (templates/runtime/load-error.js): real dlopen failures of libraries
// linked here and then edited (a GLIBC_2.99 need, another CPU), a library
// linked against a musl libc, and a file that is not a library; through
// koffi's load as a koffi package calls it, and through a napi-rs-shaped
// loader patched by rusty.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { execFileSync } from 'node:child_process'
import { patchLoader } from '../../src/backends/napi/loader.js'
import { THREAD_SOURCE, compileSharedObject } from '../elf-fixtures.js'
import { repoRoot, tempDir } from '../helpers.js'

type LoadError = typeof import('../../templates/runtime/load-error.js')
const runtime = (await import(pathToFileURL(path.join(repoRoot, 'templates', 'runtime', 'load-error.js')).href)) as LoadError
const platformJs = (await import(pathToFileURL(path.join(repoRoot, 'templates', 'runtime', 'platform.js')).href)) as typeof import('../../templates/runtime/platform.js')
const koffi = createRequire(import.meta.url)('koffi') as { load: (file: string) => unknown }
const system = runtime.currentSystem()

/** A copy of a library linked here whose pthread_create needs GLIBC_2.99 instead of GLIBC_2.34 (a same-length edit of .dynstr). */
function tooNewLibrary(name = 'libdemo.so'): string {
  const bytes = fs.readFileSync(compileSharedObject('threads', THREAD_SOURCE))
  const at = bytes.indexOf('GLIBC_2.34\0', 0, 'latin1')
  assert.ok(at > 0)
  bytes.write('GLIBC_2.99', at, 'latin1')
  const file = path.join(tempDir(), name)
  fs.writeFileSync(file, bytes)
  return file
}

/** dlopen's own failure for `file`, as Node reports it. */
function dlopenError(file: string): Error & { code?: string } {
  try {
    process.dlopen({ exports: {} }, file)
  } catch (error) {
    return error as Error
  }
  assert.fail(`${file} loaded`)
}

test('this machine is glibc, as detect-libc says too (the tests below rely on it)', () => {
  assert.equal(system.family, 'glibc')
  assert.deepEqual(system, platformJs.currentSystem())
})

test('glibc too old: the package, platform, file, the version needed with its symbols, and this system\'s glibc', () => {
  const file = tooNewLibrary()
  const error = dlopenError(file)
  assert.match(error.message, /GLIBC_2\.99' not found/)
  const explained = runtime.explainLoadFailure({ error, file, platform: 'linux-x64-gnu', packageName: 'demo' }) as Error & { code?: string }
  assert.equal(
    explained.message,
    `demo cannot load its library for linux-x64-gnu (${file}): it needs glibc 2.99 (pthread_create, pthread_join) and this system has glibc ${system.glibc}. ` +
      `The library: it needs x64, glibc 2.99 or newer; this system: x64, glibc ${system.glibc}. ` +
      "Upgrade this system's glibc, or ask the authors of demo to build it for an older glibc (rusty build's default floor is 2.17).",
  )
  assert.equal(explained.cause, error, 'the original error is the cause')
  assert.equal(explained.code, 'ERR_DLOPEN_FAILED')
})

test("a koffi package's load: koffi's error becomes the explained one", () => {
  const file = tooNewLibrary()
  assert.throws(
    () => runtime.loadLibrary(koffi.load, file, { packageName: 'demo', platform: 'linux-x64-gnu', system: platformJs.currentSystem }),
    (error: Error) => /^demo cannot load its library for linux-x64-gnu \(.*libdemo\.so\): it needs glibc 2\.99/.test(error.message) && /Failed to load shared library/.test(String((error.cause as Error).message)),
  )
  // A library that loads is returned as koffi loaded it.
  const fine = compileSharedObject('fine', 'int answer(void) { return 42; }\n')
  const lib = runtime.loadLibrary(koffi.load, fine, { packageName: 'demo', platform: 'linux-x64-gnu' }) as { func: (...a: unknown[]) => () => number }
  assert.equal(lib.func('answer', 'int', [])(), 42)
})

test('another CPU: dlopen says "No such file or directory"; the explanation says arm64', () => {
  const bytes = fs.readFileSync(compileSharedObject('threads', THREAD_SOURCE))
  bytes.writeUInt16LE(183, 18) // e_machine: AArch64
  const file = path.join(tempDir(), 'demo.linux-arm64-gnu.node')
  fs.writeFileSync(file, bytes)
  const error = dlopenError(file)
  assert.match(error.message, /cannot open shared object file/)
  const explained = runtime.explainLoadFailure({ error, file, platform: 'linux-arm64-gnu', packageName: 'demo' })
  assert.match(explained.message, /^demo cannot load its library for linux-arm64-gnu \(.*\): it is built for arm64, not x64\. The library: it needs arm64, glibc 2\.34 or newer; this system: x64, glibc [\d.]+\. Install demo on this machine itself/)
})

test('the other C library: built for musl on glibc, and for glibc on musl', () => {
  // A stand-in musl libc by its real soname, and a library linked against it.
  const dir = tempDir()
  const libc = path.join(dir, 'libc.musl-x86_64.so.1')
  const stub = path.join(dir, 'stub.c')
  fs.writeFileSync(stub, 'int musl_stub(void) { return 0; }\n')
  execFileSync('cc', ['-shared', '-fPIC', '-nostdlib', '-Wl,-soname,libc.musl-x86_64.so.1', '-o', libc, stub])
  const file = compileSharedObject('musl', 'int answer(void) { return 42; }\n', { args: ['-nostdlib', '-Wl,--no-as-needed', libc] })
  const error = dlopenError(file)
  const explained = runtime.explainLoadFailure({ error, file, platform: 'linux-x64-musl', packageName: 'demo' })
  assert.match(explained.message, /: it is built for musl, and this system uses glibc\. The library: it needs x64, musl; this system: x64, glibc [\d.]+\. Install demo on this system itself, so that npm picks its gnu platform package/)

  const glibcLibrary = compileSharedObject('threads', THREAD_SOURCE)
  const onMusl = runtime.explainLoadFailure({
    error: new Error('Error relocating: pthread_create: symbol not found'),
    file: glibcLibrary,
    platform: 'linux-x64-gnu',
    packageName: 'demo',
    system: { arch: 'x64', family: 'musl', glibc: null },
  })
  assert.match(onMusl.message, /: it is built for glibc, and this system uses musl\. .*this system: x64, musl\. Install demo on this system itself, so that npm picks its musl platform package/)
})

test('not a library, or any other refusal: the file is named and the system\'s own words kept', () => {
  const file = path.join(tempDir(), 'libdemo.so')
  fs.writeFileSync(file, 'version https://git-lfs.github.com/spec/v1\n')
  const explained = runtime.explainLoadFailure({ error: dlopenError(file), file, platform: 'linux-x64-gnu', packageName: 'demo' })
  assert.match(explained.message, /: the file is damaged or not a library\. The library: it is not a readable shared library \(not an ELF file .*\); this system: x64, glibc [\d.]+\. Reinstall demo\.$/)
  // A library the system accepts but that fails anyway keeps dlopen's message.
  const fine = compileSharedObject('fine', 'int answer(void) { return 42; }\n')
  const other = runtime.explainLoadFailure({ error: new Error('undefined symbol: foo'), file: fine, platform: 'linux-x64-gnu', packageName: 'demo' })
  // (It calls nothing of libc, so the linker did not record libc.so.6.)
  assert.match(other.message, /: the system said: undefined symbol: foo\. The library: it needs x64; this system: x64, glibc [\d.]+\.$/)
})

test("napi-rs's loader, patched by rusty: a refused .node says why instead of \"Cannot find native binding\"", async () => {
  // The shape of napi-rs's ESM loader (@napi-rs/cli's createEsmBinding), reduced to one platform.
  const loader = [
    "import { createRequire } from 'module'",
    'const require = createRequire(import.meta.url)',
    'let nativeBinding = null',
    'const loadErrors = []',
    "try { nativeBinding = require('./demo.linux-x64-gnu.node') } catch (e) { loadErrors.push(e) }",
    "try { nativeBinding = require('demo-linux-x64-gnu') } catch (e) { loadErrors.push(e) }",
    'if (!nativeBinding) {',
    '  if (loadErrors.length > 0) {',
    "    const error = new Error('Cannot find native binding. npm has a bug related to optional dependencies')",
    '    error.cause = loadErrors',
    '    throw error',
    '  }',
    "  throw new Error('Failed to load native binding')",
    '}',
    'const { add } = nativeBinding',
    'export { add }',
    '',
  ].join('\n')
  const patched = patchLoader(loader, [], 'demo')
  assert.ok(patched)
  assert.deepEqual(patched.runtime, ['panic-codes.js', 'load-error.js', 'elf.js'])
  const writeLoader = () => {
    const dir = tempDir()
    fs.writeFileSync(path.join(dir, 'package.json'), '{"type": "module"}')
    for (const name of patched.runtime) fs.copyFileSync(path.join(repoRoot, 'templates', 'runtime', name), path.join(dir, name))
    fs.writeFileSync(path.join(dir, 'index.js'), patched.js)
    return dir
  }
  const dir = writeLoader()
  fs.copyFileSync(tooNewLibrary(), path.join(dir, 'demo.linux-x64-gnu.node'))
  await assert.rejects(import(pathToFileURL(path.join(dir, 'index.js')).href), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'ERR_DLOPEN_FAILED')
    assert.match(error.message, new RegExp(`^demo cannot load its library for linux-x64-gnu \\(${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/demo\\.linux-x64-gnu\\.node\\): it needs glibc 2\\.99 \\(pthread_create, pthread_join\\) and this system has glibc`))
    return true
  })
  // Nothing there at all: napi-rs's own message stands.
  await assert.rejects(import(pathToFileURL(path.join(writeLoader(), 'index.js')).href), /Cannot find native binding/)
})
