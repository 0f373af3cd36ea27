// A package cannot depend on a package of its own name: Node resolves the
// name to the package itself (src/project/package-json.ts assertNotOwnDependency).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { newProject } from '../../src/commands/new.js'
import { isRustyError } from '../../src/errors.js'
import { assertNotOwnDependency } from '../../src/project/package-json.js'
import { tempDir } from '../helpers.js'

const quiet = { start() {}, done() {}, handOff() {}, info() {}, warn() {} }

test('rusty new koffi --backend koffi is refused before anything is written, with a name to use', async () => {
  const cwd = tempDir('rusty-own-dep-')
  for (const [name, backend] of [['koffi', 'koffi'], ['typescript', 'napi'], ['rusty-cli', 'wasm']] as const) {
    await assert.rejects(
      newProject({ cwd, dir: name, backend, interactive: false, git: false, install: false, reporter: quiet }),
      (error: unknown) => {
        assert.ok(isRustyError(error))
        assert.equal(error.exitCode, 2)
        assert.match(error.message, new RegExp(`cannot be named "${name}": it depends on the npm package "${name}"`))
        assert.match(error.hint ?? '', new RegExp(`--name ${name}-demo`))
        return true
      },
    )
    assert.equal(fs.existsSync(path.join(cwd, name)), false, `${name}: nothing written`)
  }
})

test('a name that is not a dependency passes; every dependency field counts', () => {
  assert.doesNotThrow(() => assertNotOwnDependency({ name: 'koffi-demo', dependencies: { koffi: '^2' } }))
  assert.doesNotThrow(() => assertNotOwnDependency({ dependencies: { koffi: '^2' } }))
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']) {
    assert.throws(() => assertNotOwnDependency({ name: '@s/x', [field]: { '@s/x': '1' } }), new RegExp(`"@s/x" \\(${field}\\)`))
  }
})
