// The load check before a build is committed (src/pipeline/load-check.ts):
// a real child Node process imports a staged folder, as in a build.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { checkPackageLoads, missingDependency } from '../../src/pipeline/load-check.js'
import { tempDir } from '../helpers.js'

/** A staged package: package.json (an ES module, `main` index.js) and `files`. */
function staged(packageJson: Record<string, unknown>, files: Record<string, string>): { dir: string; packageJson: Record<string, unknown> } {
  const dir = tempDir('rusty-load-check-')
  const pkg = { name: 'demo', version: '0.1.0', type: 'module', main: 'index.js', ...packageJson }
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg))
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text)
  return { dir, packageJson: pkg }
}

test('a dependency of package.json that is not installed: the install line of the project\'s package manager', async () => {
  const { dir, packageJson } = staged({ dependencies: { 'rusty-absent-dep': '^1.0.0' } }, { 'index.js': "import 'rusty-absent-dep'\n", 'pnpm-lock.yaml': "lockfileVersion: '9.0'\n" })
  await assert.rejects(checkPackageLoads(dir, packageJson), (error: Error & { hint?: string }) => {
    assert.equal(error.name, 'RustyError')
    assert.equal(error.message, 'The new build cannot load: its dependency rusty-absent-dep is not installed; the previous build is unchanged.')
    assert.match(error.hint!, /^Run `pnpm i` in the project/)
    return true
  })
})

test('a module that throws: the whole error, each line of its message and its cause', async () => {
  const { dir, packageJson } = staged({}, { 'index.js': "throw new Error('the library did not load\\nsecond line of the reason', { cause: new TypeError('the inner reason') })\n" })
  await assert.rejects(checkPackageLoads(dir, packageJson), (error: Error & { hint?: string }) => {
    assert.equal(error.message, 'The new build does not load; the previous build is unchanged.')
    const cause = error.cause as Error
    assert.equal(cause.message, 'Error: the library did not load\nsecond line of the reason')
    assert.equal((cause.cause as Error).message, 'TypeError: the inner reason')
    assert.match(error.hint!, /^Importing index\.js failed in a child process/)
    return true
  })
})

test('a package that loads passes', async () => {
  const { dir, packageJson } = staged({ dependencies: { koffi: '^2' } }, { 'index.js': 'export const greet = () => "hi"\n' })
  await checkPackageLoads(dir, packageJson)
})

test('missingDependency: only a package.json dependency counts, a subpath names its package', () => {
  const pkg = { dependencies: { koffi: '^2' }, peerDependencies: { '@scope/peer': '*' }, optionalDependencies: { 'detect-libc': '^2' } }
  assert.equal(missingDependency("Error: Cannot find package 'koffi' imported from /x/native/index.js", pkg), 'koffi')
  assert.equal(missingDependency("Error: Cannot find module '@scope/peer/sub.js'", pkg), '@scope/peer')
  assert.equal(missingDependency("Error: Cannot find module 'detect-libc'", pkg), 'detect-libc')
  assert.equal(missingDependency("Error: Cannot find module '/x/native/ffi.js' imported from /x/native/index.js", pkg), undefined)
  assert.equal(missingDependency("Error: Cannot find package 'other' imported from /x/index.js", pkg), undefined)
})
