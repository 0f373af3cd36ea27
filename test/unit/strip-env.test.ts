// The environment a release cdylib build gets (src/backends/cdylib.ts): stripped whatever the profile says.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { strippedEnv } from '../../src/backends/cdylib.js'

test('strippedEnv: CARGO_PROFILE_RELEASE_STRIP=symbols for a release build, unless the environment already sets it', () => {
  assert.deepEqual(strippedEnv({ PATH: '/bin' }, true), { PATH: '/bin', CARGO_PROFILE_RELEASE_STRIP: 'symbols' })
  const own = { CARGO_PROFILE_RELEASE_STRIP: 'none' }
  assert.equal(strippedEnv(own, true), own, "the user's own setting wins")
  const env = { PATH: '/bin' }
  assert.equal(strippedEnv(env, false), env, 'a dev build, or wasm, is left alone')
})
