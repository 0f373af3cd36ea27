// The CLI's error boundary (src/boundary.ts): what it prints for a RustyError
// with causes, a machine's file system fault, and a bug.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { reportError, withErrorBoundary } from '../../src/boundary.js'
import { asUserError } from '../../src/system-errors.js'
import { RustyError } from '../../src/errors.js'
import { atPath } from '../../src/util/files.js'
import { tempDir } from '../helpers.js'

/** A Node system error as node:fs makes them. */
function systemError(code: string, syscall: string, file?: string, dest?: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException & { dest?: string } = new Error(`${code}: failed, ${syscall}${file ? ` '${file}'` : ''}`)
  Object.assign(error, { code, syscall, errno: -1 }, file === undefined ? {} : { path: file }, dest === undefined ? {} : { dest })
  return error
}

test("a RustyError prints its message, every cause (as maturin's Caused by:), then its hint", () => {
  const root = new Error('EACCES: permission denied, open /p/Cargo.toml')
  const middle = new Error('cannot read the manifest', { cause: root })
  const report = reportError(new RustyError('cargo metadata failed.', { hint: 'Fix the manifest.', cause: middle }))
  assert.equal(
    report.text,
    'error: cargo metadata failed.\n  Caused by: cannot read the manifest\n  Caused by: EACCES: permission denied, open /p/Cargo.toml\nhint: Fix the manifest.\n',
  )
  assert.equal(report.exitCode, 1)
  assert.equal(report.bug, false)
})

test('credentials in a message or any cause are redacted, whichever layer carried them', () => {
  const npm = new Error('npm error 403 PUT http://alice:pw-0123456789@127.0.0.1:4873/pkg')
  const report = reportError(new RustyError('Publishing stopped after a-linux-x64-gnu.', { cause: npm }))
  assert.equal(report.text, 'error: Publishing stopped after a-linux-x64-gnu.\n  Caused by: npm error 403 PUT http://***@127.0.0.1:4873/pkg\n')
  const bug = reportError(new TypeError('fetch http://bob:hunter2-pw@host/ failed'))
  assert.ok(!bug.text.includes('hunter2'))
})

test('a cause that repeats its parent, or a cycle, is printed once', () => {
  const cause: Error & { cause?: unknown } = new Error('same')
  const error = new RustyError('same', { cause })
  cause.cause = error
  assert.equal(reportError(error).text, 'error: same\n')
  const multiLine = reportError(new RustyError('outer', { cause: new Error('line one\nline two') }))
  assert.equal(multiLine.text, 'error: outer\n  Caused by: line one\n    line two\n')
})

test('a bug prints its stack and its causes, with exit code 70', () => {
  const report = reportError(new TypeError('x is undefined', { cause: new Error('deeper') }))
  assert.equal(report.exitCode, 70)
  assert.equal(report.bug, true)
  assert.match(report.text, /^TypeError: x is undefined\n    at /)
  assert.match(report.text, /\n  Caused by: Error: deeper\n/)
  assert.match(report.text, /This is a bug: please report it/)
})

for (const [code, cause] of [
  ['ENOSPC', 'no space left on device'],
  ['EROFS', 'read-only file system'],
  ['EACCES', 'permission denied'],
  ['EPERM', 'operation not permitted'],
  ['EDQUOT', 'disk quota exceeded'],
] as const) {
  test(`${code} anywhere is a one-line error naming the path and the cause, exit 1`, () => {
    const report = reportError(systemError(code, 'open', '/p/native/index.js'))
    const [first, second, ...rest] = report.text.split('\n')
    assert.equal(first, `error: Cannot open /p/native/index.js: ${cause} (${code}).`)
    assert.match(second!, /^hint: .*\/p\/native/)
    assert.deepEqual(rest, [''])
    assert.equal(report.exitCode, 1)
  })
}

test('a fault wrapped as the cause of another error is still found; a copy names both files', () => {
  const wrapped = new Error('install failed', { cause: systemError('ENOSPC', 'copyfile', '/t/lib.so', '/p/native/lib.so') })
  assert.equal(asUserError(wrapped)?.message, 'Cannot copy /t/lib.so to /p/native/lib.so: no space left on device (ENOSPC).')
  assert.equal(asUserError(systemError('ENOSPC', 'write'))?.message, 'A file operation (write) failed: no space left on device (ENOSPC).')
  assert.equal(asUserError(systemError('ENOENT', 'open', '/p/x')), undefined, 'a missing file is no fault of the machine')
  assert.equal(asUserError(new TypeError('x')), undefined)
})

test('atPath names the file of a write that failed without a path, and the real file instead of its temporary sibling', async () => {
  const noPath = await atPath('/p/.rusty/stamp.json', () => Promise.reject(systemError('ENOSPC', 'write'))).catch((e: unknown) => e)
  assert.equal((noPath as NodeJS.ErrnoException).path, '/p/.rusty/stamp.json')
  const temporary = await atPath('/p/native/lib.so', () => Promise.reject(systemError('ENOSPC', 'copyfile', '/t/lib.so', '/p/native/.lib.so.1.ab.tmp'))).catch((e: unknown) => e)
  assert.equal((temporary as { dest?: string }).dest, '/p/native/lib.so')
  assert.equal((temporary as NodeJS.ErrnoException).path, '/t/lib.so')
})

test('withErrorBoundary prints the report on stderr and sets the exit code', async () => {
  const write = process.stderr.write
  let printed = ''
  process.stderr.write = ((chunk: string) => {
    printed += chunk
    return true
  }) as typeof process.stderr.write
  try {
    await withErrorBoundary(() => Promise.reject(systemError('EROFS', 'mkdir', '/p/.rusty/build.lock')))
  } finally {
    process.stderr.write = write
  }
  assert.equal(process.exitCode, 1)
  process.exitCode = 0
  assert.match(printed, /^error: Cannot create \/p\/\.rusty\/build\.lock: read-only file system \(EROFS\)\.\nhint: /)
})

test('a file where a folder must be (ENOTDIR, or EEXIST from mkdir) is named, with the fix', () => {
  const dir = tempDir('rusty-boundary-')
  const state = path.join(dir, '.rusty')
  fs.writeFileSync(state, 'notes')
  let error: unknown
  try {
    fs.mkdirSync(path.join(state, 'publish', 'stage'), { recursive: true })
  } catch (e) {
    error = e
  }
  const report = reportError(error)
  assert.equal(report.exitCode, 1)
  assert.match(report.text, new RegExp(`^error: Cannot create ${state}/publish(/stage)?: ${state} is a file, not a folder \\((ENOTDIR|EEXIST)\\)\\.\\nhint: Move or delete ${state}, then run the command again\\.\\n$`))
  try {
    fs.writeFileSync(path.join(state, 'stamp.json'), '{}')
  } catch (e) {
    error = e
  }
  assert.equal(asUserError(error)?.message, `Cannot open ${state}/stamp.json: ${state} is a file, not a folder (ENOTDIR).`)
  assert.equal(asUserError(systemError('ENOTDIR', 'scandir', path.join(dir, 'missing', 'x'))), undefined, 'no file in the way: not explained')
})

test('the limit of inotify watches says how to raise it', () => {
  assert.match(asUserError(systemError('ENOSPC', 'watch', '/p/src'))!.hint!, /fs\.inotify\.max_user_watches/)
})

test('a program that cannot be run (EACCES from spawn) is named as such', () => {
  assert.equal(asUserError(systemError('EACCES', 'spawn /opt/cargo/bin/cargo', '/opt/cargo/bin/cargo'))?.message, 'Cannot run /opt/cargo/bin/cargo: permission denied (EACCES).')
})
