import { test } from 'node:test'
import assert from 'node:assert/strict'
import { validateProjectName } from '../../src/project/names.js'
import { RustyError } from '../../src/errors.js'

test('valid names give the npm, crate and lib names', () => {
  assert.deepEqual(validateProjectName('hello'), { npmName: 'hello', crateName: 'hello', libName: 'hello' })
  assert.deepEqual(validateProjectName('fast-math'), { npmName: 'fast-math', crateName: 'fast-math', libName: 'fast_math' })
  assert.deepEqual(validateProjectName('@acme/fast_math'), { npmName: '@acme/fast_math', crateName: 'fast_math', libName: 'fast_math' })
})

const invalid: [string, RegExp][] = [
  ['', /empty/],
  ['   ', /empty/],
  ['Hello', /capital letters/],
  ['../x', /Invalid project name "\.\.\/x"/],
  ['a/b', /Invalid project name "a\/b"/],
  ['test', /built-in library/],
  ['std', /built-in library/],
  ['self', /Rust keyword/],
  ['crate', /Rust keyword/],
  ['async', /Rust keyword/],
  ['1lib', /cannot start with a digit/],
  ['@scope/9lives', /cannot start with a digit/],
  ['my.lib', /not a valid Rust crate name/],
  ['a'.repeat(65), /at most 64 characters/],
  ['x'.repeat(215), /Invalid project name/],
  ['node_modules', /Invalid project name/],
  ['.hidden', /Invalid project name/],
  ['has space', /Invalid project name/],
]

for (const [name, message] of invalid) {
  test(`refuses ${JSON.stringify(name.length > 20 ? `${name.slice(0, 8)}… (${name.length} chars)` : name)}`, () => {
    assert.throws(
      () => validateProjectName(name),
      (error: unknown) => {
        assert.ok(error instanceof RustyError)
        assert.equal(error.exitCode, 2)
        assert.match(error.message, message)
        assert.ok(!error.message.includes('\n'), 'the message is one line')
        return true
      },
    )
  })
}
