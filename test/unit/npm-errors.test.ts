// src/publish/npm-errors.ts on npm's real output: the captures in
// test/fixtures/npm-publish-errors/ (made against verdaccio by capture.ts there).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { classifyNpmError, type NpmErrorKind } from '../../src/publish/npm-errors.js'
import { npmReason } from '../../src/publish/npm.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'npm-publish-errors')

interface Capture {
  case: string
  stdout: string
  stderr: string
}

function capture(name: string): Capture {
  return JSON.parse(fs.readFileSync(path.join(fixtures, `${name}.json`), 'utf8')) as Capture
}

const expected: Record<string, { kind: NpmErrorKind; code?: string; line: RegExp; reason: RegExp }> = {
  'already-published': { kind: 'already-published', line: /^You cannot publish over the previously published versions: 1\.0\.0\.$/, reason: /already on the registry/ },
  'version-lower-than-latest': { kind: 'version-not-latest', line: /previously published version 1\.0\.0 is higher than the new version 0\.9\.0/, reason: /higher version is the latest.*--tag/ },
  'not-logged-in': { kind: 'not-logged-in', code: 'ENEEDAUTH', line: /^need auth This command requires you to be logged in/, reason: /^not logged in to http:\/\/127\.0\.0\.1:4873\/ \(run `npm login --registry http:\/\/127\.0\.0\.1:4873\/`\)$/ },
  'bad-token': { kind: 'not-logged-in', code: 'E401', line: /^Unable to authenticate, your authentication token seems to be invalid\.$/, reason: /^not logged in/ },
  forbidden: { kind: 'forbidden', code: 'E403', line: /user rusty-tester is not allowed to publish package guarded-pkg/, reason: /may not publish this package/ },
  'lifecycle-script-failed': { kind: 'script-failed', code: '3', line: /^command sh -c node -e/, reason: /lifecycle script failed/ },
  unreachable: { kind: 'unreachable', code: 'ECONNREFUSED', line: /^FetchError: request to http:\/\/127\.0\.0\.1:9\/capture-offline failed/, reason: /127\.0\.0\.1:4873\/ is unreachable/ },
}

test('every capture in test/fixtures/npm-publish-errors/ has an expectation here', () => {
  const captured = fs.readdirSync(fixtures).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length))
  assert.deepEqual(captured.sort(), Object.keys(expected).sort())
})

for (const [name, want] of Object.entries(expected)) {
  test(`classifyNpmError: ${name}`, () => {
    const error = classifyNpmError(capture(name), 'http://127.0.0.1:4873/')
    assert.equal(error.kind, want.kind)
    assert.equal(error.code, want.code)
    assert.ok(error.lines.some((line) => want.line.test(line)), error.lines.join('\n'))
    assert.match(error.reason, want.reason)
    // Neither the log file's line nor a stack frame nor npm's object dump is shown.
    for (const line of error.lines) {
      assert.doesNotMatch(line, /A complete log|^\s+at |^\s*(code|errno|syscall): '|^[{}]$/, line)
    }
  })
}

test('classifyNpmError: the same verdict from stderr alone (npm run without --json), and from older npm ERR! lines', () => {
  assert.equal(classifyNpmError({ stderr: capture('forbidden').stderr }).kind, 'forbidden')
  assert.equal(classifyNpmError({ stderr: capture('not-logged-in').stderr }).code, 'ENEEDAUTH')
  const old = 'npm ERR! code E404\nnpm ERR! 404 Not Found - PUT https://registry.npmjs.org/@nobody%2fx - Scope not found\nnpm ERR! A complete log of this run can be found in: /x.log\n'
  const error = classifyNpmError({ stderr: old })
  assert.equal(error.kind, 'not-found')
  assert.deepEqual(error.lines, ['code E404', '404 Not Found - PUT https://registry.npmjs.org/@nobody%2fx - Scope not found'])
  // npmjs's own refusal of a version it has (a 403 that says so) is not a permission problem.
  const over = '{ "error": { "code": "E403", "summary": "403 Forbidden - PUT https://registry.npmjs.org/x - You cannot publish over the previously published versions: 1.0.0." } }'
  assert.equal(classifyNpmError({ stdout: over }).kind, 'already-published')
  assert.equal(classifyNpmError({ stdout: '{ "error": { "code": "EOTP", "summary": "This operation requires a one-time password." } }' }).kind, 'one-time-password')
})

test('classifyNpmError: credentials in npm\'s lines and in the registry are redacted', () => {
  const stderr = 'npm error code E403\nnpm error 403 Forbidden - PUT http://alice:pw-s3cret-1@127.0.0.1:4873/x - nope\n'
  const error = classifyNpmError({ stderr }, 'http://alice:pw-s3cret-1@127.0.0.1:4873/')
  assert.ok(!JSON.stringify(error).includes('pw-s3cret-1'), JSON.stringify(error))
  assert.match(error.reason, /^http:\/\/\*\*\*@127\.0\.0\.1:4873\/ refused/)
})

test('classifyNpmError: unreadable output is "other" with what npm said, or a plain fallback', () => {
  assert.deepEqual(classifyNpmError({ stderr: 'npm error something odd\n' }), { kind: 'other', lines: ['something odd'], reason: 'something odd' })
  assert.equal(classifyNpmError({ stdout: 'not json', stderr: '' }).reason, 'npm failed')
  assert.equal(npmReason(capture('unreachable').stderr), 'the registry is unreachable')
})
