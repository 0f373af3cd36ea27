// The loader koffi packages use to pick their library (templates/runtime/platform.js).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { repoRoot } from '../helpers.js'

const runtime = (await import(pathToFileURL(path.join(repoRoot, 'templates', 'runtime', 'platform.js')).href)) as typeof import('../../templates/runtime/platform.js')

test('platform ids follow napi-rs: glibc, musl, darwin, win32', () => {
  assert.equal(runtime.platformId({ platform: 'linux', arch: 'x64', libc: 'glibc' }), 'linux-x64-gnu')
  assert.equal(runtime.platformId({ platform: 'linux', arch: 'arm64', libc: 'musl' }), 'linux-arm64-musl')
  assert.equal(runtime.platformId({ platform: 'darwin', arch: 'arm64' }), 'darwin-arm64')
  assert.equal(runtime.platformId({ platform: 'win32', arch: 'x64' }), 'win32-x64-msvc')
})

const base = pathToFileURL('/pkg/native/index.js').href

test('a local build wins over the platform package', () => {
  const found = runtime.findLibrary({ baseUrl: base, localFile: 'libx.so', packageName: 'x', platform: 'linux-x64-gnu', exists: () => true, resolve: () => assert.fail('not asked') })
  assert.equal(found, path.resolve('/pkg/native/libx.so'))
})

for (const platform of ['linux-x64-gnu', 'linux-x64-musl', 'darwin-arm64', 'win32-x64-msvc']) {
  test(`without a local build, the ${platform} package is loaded`, () => {
    const asked: string[] = []
    const found = runtime.findLibrary({
      baseUrl: base,
      localFile: 'libx.so',
      packageName: '@s/x',
      platform,
      exists: () => false,
      resolve: (request) => {
        asked.push(request)
        return `/node_modules/${request}/lib`
      },
    })
    assert.deepEqual(asked, [`@s/x-${platform}`])
    assert.equal(found, `/node_modules/@s/x-${platform}/lib`)
  })
}

test('when nothing fits, the error names the platform and what was tried', () => {
  assert.throws(
    () =>
      runtime.findLibrary({
        baseUrl: base,
        localFile: 'libx.so',
        packageName: 'x',
        platform: 'linux-riscv64-gnu',
        exists: () => false,
        resolve: () => {
          throw new Error('MODULE_NOT_FOUND')
        },
      }),
    /x has no compiled library for this platform \(linux-riscv64-gnu\)\. Tried .*libx\.so \(a local build\), .*libx\.linux-riscv64-gnu\.so \(a collected artifact\) and the package x-linux-riscv64-gnu/,
  )
})

test('artifact names are what `rusty build` writes, whichever machine generated the bindings', () => {
  for (const localFile of ['libx.so', 'libx.dylib', 'x.dll']) {
    assert.equal(runtime.artifactFileName(localFile, 'linux-x64-musl'), 'libx.linux-x64-musl.so')
    assert.equal(runtime.artifactFileName(localFile, 'darwin-x64'), 'libx.darwin-x64.dylib')
    assert.equal(runtime.artifactFileName(localFile, 'win32-x64-msvc'), 'x.win32-x64-msvc.dll')
  }
  // cargo adds `lib` to .so/.dylib only: a crate named libfoo is liblibfoo.so and libfoo.dll.
  assert.equal(runtime.artifactFileName('liblibfoo.so', 'win32-x64-msvc'), 'libfoo.win32-x64-msvc.dll')
  assert.equal(runtime.artifactFileName('libfoo.dll', 'linux-x64-gnu'), 'liblibfoo.linux-x64-gnu.so')
})

test('without a local build, a collected artifact beside the loader wins over the platform package', () => {
  const found = runtime.findLibrary({
    baseUrl: base,
    localFile: 'libx.so',
    packageName: 'x',
    platform: 'win32-x64-msvc',
    exists: (file) => file === path.resolve('/pkg/native/x.win32-x64-msvc.dll'),
    resolve: () => assert.fail('not asked'),
  })
  assert.equal(found, path.resolve('/pkg/native/x.win32-x64-msvc.dll'))
})

test('platformOf names a target triple by napi-rs\'s table, without @napi-rs/cli; an unknown triple is refused', async () => {
  const { platformOf } = await import('../../src/util/platform.js')
  assert.equal(await platformOf('x86_64-unknown-linux-gnu'), 'linux-x64-gnu')
  assert.equal(await platformOf('x86_64-unknown-linux-musl'), 'linux-x64-musl')
  assert.equal(await platformOf('aarch64-apple-darwin'), 'darwin-arm64')
  assert.equal(await platformOf('x86_64-pc-windows-msvc'), 'win32-x64-msvc')
  assert.equal(await platformOf('aarch64-unknown-linux-gnu'), 'linux-arm64-gnu')
  await assert.rejects(platformOf('x86_64-unknown-nowhere'), /^RustyError: Unknown target triple "x86_64-unknown-nowhere"\.$/)
})

test('platformOf() of the host is the id the runtime loader looks for (one computation)', async () => {
  const { platformOf } = await import('../../src/util/platform.js')
  const runtimeHost = (await import(pathToFileURL(path.join(repoRoot, 'templates', 'runtime', 'platform.js')).href)) as { currentPlatformId(): string }
  assert.equal(await platformOf(), runtimeHost.currentPlatformId())
  assert.match(await platformOf(), /^(linux-\w+-(gnu|musl)|darwin-\w+|win32-\w+-msvc|\w+-\w+)$/)
})
