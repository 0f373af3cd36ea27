// The artifacts folder (src/publish/artifacts.ts): names by backend (from the
// table), what --collect copies, and what ships in platform packages.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { ARTIFACT_NAME_PATTERN, artifactsDirOf, collectArtifacts, isPlatformBinary, listArtifacts, parseArtifact } from '../../src/publish/artifacts.js'
import { BACKENDS, backendInfo } from '../../src/project/backend-table.js'
import { BUILD_MATRIX } from '../../src/workflows/github.js'
import { artifactFileName, artifactName, parseArtifactName } from '../../templates/runtime/artifact-name.js'
import type { Project } from '../../src/project/config.js'
import { tempDir } from '../helpers.js'

const touch = (file: string) => {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, path.basename(file))
}

test('listArtifacts: per-platform names give their platform, a .wasm module is wasm32, other files are not artifacts', async () => {
  const dir = tempDir('rusty-artifacts-')
  for (const name of ['hello.linux-x64-gnu.node', 'libhello.darwin-arm64.dylib', 'hello.win32-x64-msvc.dll', 'hello.wasm', 'libhello.so', 'notes.txt', 'hello.node']) {
    touch(path.join(dir, name))
  }
  const all = await listArtifacts(dir)
  assert.deepEqual(
    all.map((a) => [path.basename(a.file), a.platform]),
    [
      ['hello.linux-x64-gnu.node', 'linux-x64-gnu'],
      ['hello.wasm', 'wasm32'],
      ['hello.win32-x64-msvc.dll', 'win32-x64-msvc'],
      ['libhello.darwin-arm64.dylib', 'darwin-arm64'],
    ],
  )
  assert.ok(all.every((a) => path.isAbsolute(a.file)))
  // One backend's artifacts only: what its platform packages are made of.
  assert.deepEqual((await listArtifacts(dir, backendInfo('napi'))).map((a) => path.basename(a.file)), ['hello.linux-x64-gnu.node'])
  assert.deepEqual((await listArtifacts(dir, backendInfo('koffi'))).map((a) => a.platform), ['win32-x64-msvc', 'darwin-arm64'])
  assert.deepEqual((await listArtifacts(dir, backendInfo('wasm'))).map((a) => a.platform), ['wasm32'])
  assert.deepEqual(await listArtifacts(path.join(dir, 'missing')), [])
})

test('isPlatformBinary: the per-platform libraries, never a wasm module or JavaScript', () => {
  for (const file of ['native/hello.linux-x64-gnu.node', 'native/libhello.so', 'libhello.dylib', 'hello.dll']) assert.ok(isPlatformBinary(file), file)
  for (const file of ['native/web/index_bg.wasm', 'native/index.js', 'node']) assert.ok(!isPlatformBinary(file), file)
})

test('collectArtifacts copies per-platform artifacts found at any depth, keeping their names', async () => {
  const from = tempDir('rusty-collect-from-')
  const out = tempDir('rusty-collect-out-')
  touch(path.join(from, 'bindings-linux-x64-gnu', 'hello.linux-x64-gnu.node'))
  touch(path.join(from, 'a', 'b', 'libhello.darwin-arm64.dylib'))
  touch(path.join(from, 'hello.wasm'))
  touch(path.join(from, 'README.md'))
  const collected = await collectArtifacts(from, out)
  assert.deepEqual(collected.map((a) => [path.relative(out, a.file), a.platform]).sort(), [
    ['hello.linux-x64-gnu.node', 'linux-x64-gnu'],
    ['libhello.darwin-arm64.dylib', 'darwin-arm64'],
  ])
  assert.deepEqual(fs.readdirSync(out).sort(), ['hello.linux-x64-gnu.node', 'libhello.darwin-arm64.dylib'])
  // Collecting a folder into itself leaves the files where they are.
  assert.equal((await collectArtifacts(out, out)).length, 2)
  await assert.rejects(collectArtifacts(path.join(from, 'README.md'), out), { message: /^Cannot collect artifacts from .*README\.md: not a folder\.$/, exitCode: 2 })
})

test('the artifacts folder is relative to the package root; the message names every per-platform extension', () => {
  const project = { root: '/p' } as Project
  assert.equal(artifactsDirOf(project), path.resolve('/p/artifacts'))
  assert.equal(artifactsDirOf(project, 'native'), path.resolve('/p/native'))
  assert.equal(artifactsDirOf(project, '/abs'), path.resolve('/abs'))
  assert.equal(ARTIFACT_NAME_PATTERN, '<name>.<platform>.<node|so|dylib|dll>')
})

// The one naming rule (templates/runtime/artifact-name.js), as each backend's
// build names its artifact, read back by --collect and publish: for every
// backend and every platform the generated workflow builds.
test('artifact names round-trip for every backend and every platform of the workflow matrix', () => {
  const built = {
    // napi-rs names it `<binaryName>.<platform>.node` (rusty passes platform: true).
    napi: (platform: string) => artifactName({ stem: 'my_lib', platform, extension: 'node' }),
    // koffi: src/backends/koffi/index.ts, from the cdylib cargo wrote on the build machine.
    koffi: (platform: string) => artifactFileName(platform.startsWith('win32-') ? 'my_lib.dll' : platform.startsWith('darwin-') ? 'libmy_lib.dylib' : 'libmy_lib.so', platform),
    // wasm: one module for every platform, `<stem>.wasm`.
    wasm: () => artifactName({ stem: 'my_lib', extension: 'wasm' }),
  }
  assert.deepEqual(Object.keys(built).sort(), BACKENDS.map((b) => b.name).sort(), 'every backend of the table has its rule here')
  for (const backend of BACKENDS) {
    for (const { platform } of BUILD_MATRIX) {
      const name = built[backend.name](platform)
      const expected = backend.artifacts.platform ?? platform
      assert.deepEqual(parseArtifact(`/a/${name}`, [backend]), { platform: expected, file: `/a/${name}` }, `${backend.name} ${platform}: ${name}`)
      assert.deepEqual(parseArtifact(`/a/${name}`), { platform: expected, file: `/a/${name}` }, `${name} is no other backend's`)
      const parts = parseArtifactName(name)!
      assert.equal(artifactName(parts), name, `${name} is rebuilt from its parts`)
      assert.ok(backend.artifacts.extensions.includes(parts.extension), name)
    }
  }
  // The OS's library conventions follow the platform, whatever machine built it.
  assert.equal(artifactFileName('libmy_lib.so', 'win32-arm64-msvc'), 'my_lib.win32-arm64-msvc.dll')
  assert.equal(artifactFileName('my_lib.dll', 'darwin-x64'), 'libmy_lib.darwin-x64.dylib')
  // Dots in a stem, and names that are no artifact.
  assert.deepEqual(parseArtifactName('my.lib.linux-arm-gnueabihf.node'), { stem: 'my.lib', platform: 'linux-arm-gnueabihf', extension: 'node' })
  for (const name of ['libmy_lib.so', 'index.js', 'README', 'my_lib.node']) assert.equal(parseArtifact(name), undefined, name)
})
