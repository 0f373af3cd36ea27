// Where the koffi bindings' C header comes from, and the one error for each
// header that cannot be used (issue 27): a crate whose build script does not
// run (`build = false`), an empty header (macro-made functions), a C++
// header, and the `"rusty": { "header" }` setting.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { generateFromHeader, isCpp } from '../../src/backends/koffi/generate.js'
import type { BuildOptions } from '../../src/backends/types.js'
import { tempDir } from '../helpers.js'

/** A crate folder with `files`, and the build options of a project around it (`header` set as in package.json). */
function crate(files: Record<string, string>, header?: string) {
  const crateDir = tempDir()
  for (const [file, text] of Object.entries({ 'Cargo.toml': '[package]\nname = "demo"\nversion = "0.1.0"\n', ...files })) {
    fs.mkdirSync(path.dirname(path.join(crateDir, file)), { recursive: true })
    fs.writeFileSync(path.join(crateDir, file), text)
  }
  const project = { crateDir, manifestPath: path.join(crateDir, 'Cargo.toml'), config: { backend: 'koffi', crate: '.', ...(header ? { header } : {}) }, packageJson: { name: 'demo' } }
  const reporter = { start() {}, done() {}, info() {}, warn() {} }
  const options = { project, reporter, features: [], cargoArgs: [] } as unknown as BuildOptions
  const output = { libName: 'demo', packageId: `path+file://${crateDir}#demo@0.1.0` }
  return { crateDir, options, output }
}

async function failure(promise: Promise<unknown>): Promise<Error & { hint?: string }> {
  try {
    await promise
  } catch (error) {
    return error as Error & { hint?: string }
  }
  assert.fail('expected an error')
}

test('an empty header: why (macros, [parse.expand] needs nightly) and the shipped header to name instead', async () => {
  const { crateDir, options, output } = crate({ 'out/bindings.h': '#include <stdint.h>\n', 'include/demo.h': '' })
  const error = await failure(generateFromHeader(path.join(crateDir, 'out/bindings.h'), output, options))
  assert.match(error.message, /^The C header cbindgen wrote for demo is empty: .*made by a macro \(such as `ffi_fn!`\).*`\[parse\.expand\]` is set, which needs a nightly toolchain\.$/)
  assert.match(error.hint ?? '', /^The crate ships include\/demo\.h: name it in package\.json, "rusty": \{ "header": "include\/demo\.h" \}/)
})

test('a C++ header (language = "C++") is one error asking for language = "C"', async () => {
  const cpp = '#include <cstdarg>\n#include <cstdint>\n#include <ostream>\n\nstruct Point {\n  double x;\n  double y;\n};\n\nextern "C" {\n\nPoint midpoint(Point a, Point b);\n\n}  // extern "C"\n'
  const { crateDir, options, output } = crate({ 'out/bindings.h': cpp })
  const error = await failure(generateFromHeader(path.join(crateDir, 'out/bindings.h'), output, options))
  assert.match(error.message, /^The header cbindgen wrote for demo is C\+\+, not C \(rust\/cbindgen\.toml sets `language = "C\+\+"`\)/)
  assert.match(error.hint ?? '', /^Set `language = "C"` in rust\/cbindgen\.toml/)
  assert.equal(error.message.split('\n').length, 1)
})

test('a C header that keeps C++ includes inside #ifdef __cplusplus is C; a C++ header of its own is named as such', () => {
  const guarded = '#pragma once\n#ifdef __cplusplus\n#include <cstdint>\nextern "C" {\n#else\n#include <stdint.h>\n#endif\nint32_t add(int32_t a, int32_t b);\n#if defined(__cplusplus)\n}\n#endif\n'
  assert.equal(isCpp(guarded), false)
  assert.equal(isCpp('#include <cstdint>\nnamespace demo {\n}\n'), true)
  // Not C++-only: a block for C compilers.
  assert.equal(isCpp('#ifndef __cplusplus\n#include <stdbool.h>\n#endif\nbool ok(void);\n'), false)
})

test('no header and `build = false` in Cargo.toml: that line is named', async () => {
  const { options, output } = crate({ 'Cargo.toml': '[package]\nname = "demo"\nversion = "0.1.0"\nbuild = false\n' })
  const error = await failure(generateFromHeader(undefined, output, options))
  assert.match(error.message, /says `build = false` \(as crates downloaded from crates\.io do\), so cargo ignores build\.rs/)
  assert.match(error.hint ?? '', /^Remove the line `build = false`/)
})

test('"rusty": { "header" } names the header; a path that cannot be read is named', async () => {
  const { crateDir, options, output } = crate({ 'include/demo.h': '#include <stdint.h>\nint32_t add(int32_t a, int32_t b);\n' }, 'include/demo.h')
  const { dts } = await generateFromHeader(path.join(crateDir, 'include/demo.h'), output, options)
  assert.match(dts, /export declare function add\(a: number, b: number\): number/)
  const missing = crate({}, 'include/nope.h')
  const error = await failure(generateFromHeader(path.join(missing.crateDir, 'include/nope.h'), missing.output, missing.options))
  assert.match(error.message, /^The C header named in package\.json \("rusty": \{ "header": "include\/nope\.h" \}\) cannot be read/)
})
