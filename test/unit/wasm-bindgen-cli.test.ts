// Which wasm-bindgen CLI a wasm build runs (ensureWasmBindgen): the cached
// CLI is asked its version once, then trusted while its file is unchanged.
// The "CLI" here is a shell script that answers `--version` and counts calls.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { ensureWasmBindgen } from '../../src/backends/wasm/toolchain.js'
import { createReporter } from '../../src/util/reporter.js'
import { pathWithOnlyNode, tempDir } from '../helpers.js'

test('the cached wasm-bindgen CLI is asked its version once, and again after it changed', async () => {
  const cache = tempDir()
  const bin = path.join(cache, 'wasm-bindgen', '0.2.130', 'bin')
  fs.mkdirSync(bin, { recursive: true })
  const calls = path.join(cache, 'calls')
  const cli = path.join(bin, 'wasm-bindgen')
  const write = (version: string) => fs.writeFileSync(cli, `#!/bin/sh\necho x >> '${calls}'\necho 'wasm-bindgen ${version}'\n`, { mode: 0o755 })
  write('0.2.130')
  // No wasm-bindgen on PATH: only the cached one can answer.
  const env = { ...process.env, RUSTY_CACHE_DIR: cache, PATH: pathWithOnlyNode() + path.delimiter + '/bin' }
  const reporter = createReporter({ silent: true })
  const count = () => (fs.existsSync(calls) ? fs.readFileSync(calls, 'utf8').split('\n').filter(Boolean).length : 0)

  assert.equal(await ensureWasmBindgen('0.2.130', reporter, env), cli)
  assert.equal(count(), 1)
  assert.equal(await ensureWasmBindgen('0.2.130', reporter, env), cli)
  assert.equal(count(), 1, 'not asked again')

  // Replaced by another version (another size): asked again, and refused.
  write('0.2.99')
  await assert.rejects(ensureWasmBindgen('0.2.130', reporter, env), /does not run as version 0\.2\.130 \(it said 0\.2\.99\)/)
  assert.equal(count(), 2)
})
