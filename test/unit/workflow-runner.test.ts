// The expression subset of the local GitHub Actions runner (test/workflow-runner.ts).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { evaluate, interpolate } from '../workflow-runner.js'

const context = { matrix: { target: 'x86_64-unknown-linux-musl', platform: 'linux-x64-musl' }, github: { ref: 'refs/tags/v1.2.3' }, steps: { v: { outputs: { version: '0.2.100' } } } }

test('conditions as workflows write them', () => {
  assert.equal(evaluate("contains(matrix.target, 'musl')", context), true)
  assert.equal(evaluate("!contains(matrix.target, 'musl')", context), false)
  assert.equal(evaluate("matrix.platform == 'LINUX-x64-musl'", context), true, 'strings compare case-insensitively')
  assert.equal(evaluate("matrix.platform != 'linux-x64-gnu' && startsWith(github.ref, 'refs/tags/v')", context), true)
  assert.equal(evaluate("(matrix.nothing || 'fallback') == 'fallback'", context), true)
  assert.equal(evaluate('success()', context), true)
  assert.equal(evaluate('success()', { ...context, failed: true }), false)
})

test('${{ }} in strings, and what is outside the subset is refused', () => {
  assert.equal(interpolate('key-${{ matrix.target }}-${{ steps.v.outputs.version }}', context), 'key-x86_64-unknown-linux-musl-0.2.100')
  assert.equal(interpolate("a${{ format('{0}-{1}', 'x', matrix.platform) }}", context), 'ax-linux-x64-musl')
  assert.throws(() => evaluate('fromJSON(matrix.target)', context), /not supported/)
  assert.throws(() => evaluate("matrix.target ==", context), /unexpected end/)
})
