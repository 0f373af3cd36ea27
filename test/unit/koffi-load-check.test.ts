// The koffi backend installs new bindings only after a child Node process
// has loaded them with the new library; a module that does not load is
// refused with its reason.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { checkLoads } from '../../src/backends/koffi/index.js'
import { RustyError } from '../../src/errors.js'
import { tempDir } from '../helpers.js'

const stateDir = path.join(tempDir(), '.rusty')
const library = path.join(tempDir(), 'libfake.so')
fs.writeFileSync(library, 'not really a library')

test('a module that loads passes, and the scratch folder is removed', async () => {
  await checkLoads(stateDir, library, 'libfake.so', "import { readFileSync } from 'node:fs'\nreadFileSync(new URL('./libfake.so', import.meta.url))\nexport const ok = 1\n")
  assert.deepEqual(fs.readdirSync(stateDir), [])
})

test('a module that throws while loading is refused with its reason', async () => {
  await assert.rejects(
    checkLoads(stateDir, library, 'libfake.so', "const Error = 1\nexport { Error }\nthrow new TypeError('Error is not a constructor')\n"),
    (error: unknown) => {
      assert.ok(error instanceof RustyError)
      assert.match(error.message, /^The generated koffi bindings do not load \(TypeError: Error is not a constructor\); the previous build is unchanged\.$/)
      return true
    },
  )
  assert.deepEqual(fs.readdirSync(stateDir), [])
})

test('a project without koffi installed gets the npm install hint', async () => {
  await assert.rejects(checkLoads(stateDir, library, 'libfake.so', "import koffi from 'koffi'\n"), (error: unknown) => {
    assert.ok(error instanceof RustyError)
    assert.match(error.message, /no koffi installed/)
    assert.match(error.hint ?? '', /^Run `npm i` in the project/)
    return true
  })
})
