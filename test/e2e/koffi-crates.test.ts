// A published C-API crate as a new user meets it (issue 27): rure 0.2.5, the
// C API of Rust's regex crate (test/fixtures/crates/rure, MIT OR Apache-2.0),
// through `rusty init --backend koffi` and `rusty develop`, then called from
// Node. Each step's failure says what to change, and all its items at once.
import { before, test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { installProject, repoRoot, rusty, runNode, tempDir } from '../helpers.js'

const project = path.join(tempDir(), 'rure')
const manifest = path.join(project, 'Cargo.toml')
const packageJson = path.join(project, 'package.json')

/** Sets `"rusty": { "header": header }` in the project's package.json. */
function setHeader(header: string): void {
  const pkg = JSON.parse(fs.readFileSync(packageJson, 'utf8'))
  pkg.rusty.header = header
  fs.writeFileSync(packageJson, `${JSON.stringify(pkg, null, 2)}\n`)
}

before(async () => {
  fs.cpSync(path.join(repoRoot, 'test/fixtures/crates/rure'), project, { recursive: true })
  const init = await rusty(['init', '--backend', 'koffi', '--yes'], { cwd: project })
  assert.equal(init.exitCode, 0, init.all)
  await installProject(project)
})

test('as downloaded (`build = false`): the build script never runs, and the error says so', async () => {
  assert.match(fs.readFileSync(manifest, 'utf8'), /^build = false$/m)
  const result = await rusty(['develop'], { cwd: project })
  assert.equal(result.exitCode, 1, result.all)
  assert.match(result.stderr, /says `build = false` \(as crates downloaded from crates\.io do\), so cargo ignores build\.rs/)
  assert.match(result.stderr, /hint: Remove the line `build = false`/)
})

test('functions made by a macro: cbindgen writes an empty header, and the error explains and names the shipped header', async () => {
  fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').replace(/^build = false\n/m, ''))
  const result = await rusty(['develop'], { cwd: project })
  assert.equal(result.exitCode, 1, result.all)
  assert.match(result.stderr, /The C header cbindgen wrote for rure is empty: .*Functions made by a macro \(such as `ffi_fn!`\) are invisible to it.*`\[parse\.expand\]` is set, which needs a nightly toolchain/)
  assert.match(result.stderr, /hint: The crate ships include\/rure\.h: name it in package\.json, "rusty": \{ "header": "include\/rure\.h" \}/)
  assert.doesNotMatch(result.all, /TS2306/)
})

test("the crate's own header: every item the bindings cannot express, in one run, each with a fix", async () => {
  setHeader('include/rure.h')
  const result = await rusty(['develop'], { cwd: project })
  assert.equal(result.exitCode, 1, result.all)
  const items = [...result.stderr.matchAll(/^ {2}- `(\w+)`: (.*)$/gm)].map((m) => [m[1], m[2]])
  assert.deepEqual(
    items.map(([item]) => item),
    ['rure_iter_capture_names_next', 'rure_compile_set', 'rure_compile_set', 'rure_cstring_free'],
    result.stderr,
  )
  assert.match(result.stderr, /^error: Cannot generate koffi bindings for 3 Rust items of rure:/m)
  assert.match(result.stderr, /`name: char \*\*` hands a string out through a pointer; return the string instead/)
  assert.match(result.stderr, /`patterns: const uint8_t \*\*` is a pointer to pointers .*; pass one buffer with the lengths of its parts/)
  assert.match(result.stderr, /`rure_cstring_free`: it looks like a function that frees a string .*; do not export it/)
  assert.ok(!fs.existsSync(path.join(project, 'native', 'index.js')), 'nothing half-generated')
})

test('with those items kept out of the header, every other function binds and answers from Node', async () => {
  // The fix the refusal gives for items of a hand-written header: keep them out of it.
  let header = fs.readFileSync(path.join(project, 'include/rure.h'), 'utf8')
  for (const name of ['rure_iter_capture_names_next', 'rure_compile_set', 'rure_cstring_free']) {
    const kept = header.replace(new RegExp(`^[^;{}#]*\\b${name}\\([^;]*\\);`, 'm'), '')
    assert.notEqual(kept, header, name)
    header = kept
  }
  fs.writeFileSync(path.join(project, 'include/rure-bindable.h'), header)
  setHeader('include/rure-bindable.h')
  const result = await rusty(['develop'], { cwd: project })
  assert.equal(result.exitCode, 0, result.all)
  const typings = fs.readFileSync(path.join(project, 'native', 'index.d.ts'), 'utf8')
  assert.match(typings, /export declare function rureCompileMust\(pattern: string\): rure/)
  assert.match(typings, /export declare class rure_iter implements Disposable \{\n {2}constructor\(re: rure\)/)
  assert.match(typings, /find\(haystack: Uint8Array, start: number \| bigint, match: rure_match\): boolean/)
  const calls = await runNode(
    project,
    `
    import * as lib from 'rure'
    const caught = (f) => { try { f(); return null } catch (e) { return { name: e.name, message: e.message } } }
    const text = new TextEncoder().encode('mail ferris@rust or corro@crab')
    const re = lib.rureCompileMust('(?P<user>\\\\w+)@(?P<host>\\\\w+)')
    const match = { start: 0, end: 0 }
    const found = re.find(text, 0, match)
    const captures = new lib.rure_captures(re)
    re.findCaptures(text, 0, captures)
    const host = { start: 0, end: 0 }
    captures.at(2, host)
    const iter = new lib.rure_iter(re)
    const all = []
    const next = { start: 0, end: 0 }
    while (iter.next(text, next)) all.push([next.start, next.end])
    const end = [0]
    re.shortestMatch(text, 0, end)
    const options = new lib.rure_options()
    options.sizeLimit(1 << 20)
    const error = new lib.rure_error()
    const compiled = lib.rureCompile(new TextEncoder().encode('a+'), lib.RURE_DEFAULT_FLAGS, options, error)
    const failed = caught(() => lib.rureCompile(new TextEncoder().encode('('), lib.RURE_DEFAULT_FLAGS, options, error))
    const decode = (m) => new TextDecoder().decode(text.subarray(m.start, m.end))
    const disposed = lib.rureCompileMust('x')
    disposed.dispose()
    console.log(JSON.stringify({
      isMatch: [re.isMatch(text, 0), re.isMatch(new TextEncoder().encode('nothing here'), 0)],
      find: { found, match: decode(match) },
      captures: { len: Number(captures.len()), host: decode(host), userIndex: re.captureNameIndex('user') },
      iter: all.map(([start, end]) => decode({ start, end })),
      shortestEnd: Number(end[0]),
      compiled: compiled.isMatch(new TextEncoder().encode('baaa'), 0),
      failedCompile: { thrown: failed, reason: error.message().split('\\n')[0] },
      escaped: lib.rureEscapeMust('a.b*c'),
      notARure: caught(() => new lib.rure_iter(captures)),
      useAfterDispose: caught(() => new lib.rure_iter(disposed)),
      noConstructor: caught(() => new lib.rure()),
    }))
    `,
  )
  assert.deepEqual(calls, {
    isMatch: [true, false],
    find: { found: true, match: 'ferris@rust' },
    captures: { len: 3, host: 'rust', userIndex: 1 },
    iter: ['ferris@rust', 'corro@crab'],
    shortestEnd: 13,
    compiled: true,
    failedCompile: { thrown: { name: 'Error', message: 'rure_compile failed (it returned NULL or an error status)' }, reason: 'regex parse error:' },
    escaped: 'a\\.b\\*c',
    notARure: { name: 'TypeError', message: 're must be a rure' },
    useAfterDispose: { name: 'Error', message: 'This rure was disposed and cannot be used any more' },
    noConstructor: { name: 'TypeError', message: 'rure has no constructor (the crate has no rure_new): get one from rureCompileMust(), rureCompile()' },
  })
})
