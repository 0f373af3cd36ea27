// The process entry (bin/rusty.js → src/main.ts): `--version` is answered
// without the parser, and says what commander would; everything else reaches
// the parser. Runs the built CLI (npm test builds it first).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { execa } from 'execa'
import { createProgram } from '../../src/cli.js'
import { repoRoot } from '../helpers.js'

const bin = path.join(repoRoot, 'bin', 'rusty.js')
const version = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version

test('rusty --version and -V print package.json version, as commander would', async () => {
  for (const flag of ['--version', '-V']) {
    const result = await execa(process.execPath, [bin, flag])
    assert.equal(result.stdout, version)
    assert.equal(result.stderr, '')
  }
  assert.equal(createProgram().version(), version)
})

test('other arguments reach the parser: --help, a flag after --version, an unknown command', async () => {
  assert.match((await execa(process.execPath, [bin, '--help'])).stdout, /^Usage: rusty \[options\] \[command\]/)
  assert.equal((await execa(process.execPath, [bin, '--version', '--help'])).stdout, version)
  const unknown = await execa(process.execPath, [bin, 'nope'], { reject: false })
  assert.equal(unknown.exitCode, 1)
  assert.match(unknown.stderr, /unknown command 'nope'/)
})
