// The command lines rusty prints for the user to paste (package-manager.ts).
import { test } from 'node:test'
import assert from 'node:assert/strict'

test('printed command lines quote only what a shell would split or expand', async () => {
  const { shellWord } = await import('../../src/util/package-manager.js')
  assert.deepEqual(
    ['demo', 'my folder', "it's", '@scope/x', 'a$b', 'rusty'].map(shellWord),
    ['demo', "'my folder'", "'it'\\''s'", '@scope/x', "'a$b'", 'rusty'],
  )
})
