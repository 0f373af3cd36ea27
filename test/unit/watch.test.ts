// `develop --watch`'s loop (src/util/watch.ts): what it ignores, and that a
// build that throws anything is reported and watching goes on.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { reportError } from '../../src/boundary.js'
import { buildOutputsFilter, watchProject } from '../../src/util/watch.js'
import { cargoArgsTargetDirs } from '../../src/commands/develop.js'
import { createReporter } from '../../src/util/reporter.js'
import { tempDir } from '../helpers.js'

test("the ignore list holds rusty's own outputs, every cargo target dir and Cargo.lock, for a crate at the package root", () => {
  const root = '/p'
  const ignored = buildOutputsFilter(root, ['/p/build-out', '/elsewhere/target-dir'])
  for (const file of [
    '/p/.rusty/build.lock',
    '/p/.rusty',
    '/p/native/index.js',
    '/p/dist/index.js',
    '/p/artifacts/x.node',
    '/p/target/debug/libx.so',
    '/p/build-out/debug/libx.so',
    '/p/build-out',
    '/elsewhere/target-dir/debug/libx.so',
    '/p/node_modules/x/index.js',
    '/p/.git/index',
    '/p/Cargo.lock',
    '/p/crates/a/target/debug/x',
  ]) {
    assert.equal(ignored(file), true, file)
  }
  for (const file of ['/p/src/lib.rs', '/p/Cargo.toml', '/p/src/index.ts', '/p/build.rs', '/p/src/native/mod.rs', '/p/src/dist.rs', '/p/build-outer/x.rs']) {
    assert.equal(ignored(file), false, file)
  }
})

test('target dirs given to cargo after -- are found in both spellings', () => {
  assert.deepEqual(cargoArgsTargetDirs(['--locked', '--target-dir', 'out', '--target-dir=/abs/t'], '/p'), ['/p/out', '/abs/t'])
  assert.deepEqual(cargoArgsTargetDirs(undefined, '/p'), [])
})

test('a build that throws a non-rusty error is reported, and the next change builds again', async () => {
  const dir = tempDir('rusty-watch-')
  const source = path.join(dir, 'lib.rs')
  fs.writeFileSync(source, '1')
  const controller = new AbortController()
  let builds = 0
  const write = process.stderr.write
  let printed = ''
  process.stderr.write = ((chunk: string) => {
    printed += chunk
    return true
  }) as typeof process.stderr.write
  try {
    const watching = watchProject({
      paths: [dir],
      ignored: () => false,
      build: async () => {
        builds++
        if (builds === 1) throw new TypeError('boom from a bug')
        controller.abort()
      },
      reportError: (error) => process.stderr.write(reportError(error).text),
      reporter: createReporter({ silent: true }),
      signal: controller.signal,
    })
    for (let i = 0; i < 100 && builds < 1; i++) await new Promise((resolve) => setTimeout(resolve, 20))
    // Rewrite until the watcher sees a change (its first events may come before it is ready).
    for (let i = 0; i < 100 && builds < 2; i++) {
      fs.writeFileSync(source, String(i))
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    await watching
  } finally {
    process.stderr.write = write
  }
  assert.equal(builds, 2, 'built again after the failure')
  assert.match(printed, /^TypeError: boom from a bug\n/m)
  assert.match(printed, /This is a bug: please report it/)
})
