// rusty's cache folder (the wasm-bindgen CLIs it builds live there; CI
// caches <RUSTY_CACHE_DIR>/wasm-bindgen, src/workflows/github.ts).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import os from 'node:os'
import path from 'node:path'
import { cacheDir } from '../../src/backends/wasm/toolchain.js'

/** Runs `f` with XDG_CACHE_HOME set to `value` (undefined: unset) and no RUSTY_CACHE_DIR, then restores both. */
function withXdgCacheHome<T>(value: string | undefined, f: () => T): T {
  const before = { XDG_CACHE_HOME: process.env.XDG_CACHE_HOME, RUSTY_CACHE_DIR: process.env.RUSTY_CACHE_DIR }
  const set = (name: keyof typeof before, v: string | undefined) => {
    if (v === undefined) delete process.env[name]
    else process.env[name] = v
  }
  set('XDG_CACHE_HOME', value)
  set('RUSTY_CACHE_DIR', undefined)
  try {
    return f()
  } finally {
    set('XDG_CACHE_HOME', before.XDG_CACHE_HOME)
    set('RUSTY_CACHE_DIR', before.RUSTY_CACHE_DIR)
  }
}

test('RUSTY_CACHE_DIR wins, on every platform', () => {
  assert.equal(cacheDir({ RUSTY_CACHE_DIR: '/tmp/rusty-cache' }), '/tmp/rusty-cache')
})

test('on Linux: $XDG_CACHE_HOME/rusty, else ~/.cache/rusty (the path CI and users already have)', { skip: process.platform !== 'linux' }, () => {
  assert.equal(withXdgCacheHome('/xdg/cache', () => cacheDir()), path.join('/xdg/cache', 'rusty'))
  assert.equal(withXdgCacheHome(undefined, () => cacheDir()), path.join(os.homedir(), '.cache', 'rusty'))
})
