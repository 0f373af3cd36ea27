// The init steps that migrate what published projects have (test/fixtures/real):
// CommonJS tool configs renamed to .cjs, and imports of wasm-pack's output refused
// with what to import instead.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { RustyError } from '../../src/errors.js'
import { reportChanges } from '../../src/init/report.js'
import { toolConfigRenames } from '../../src/init/tool-configs.js'
import type { Reporter } from '../../src/util/reporter.js'
import { assertNoWasmPackImports, wasmPackImports, wasmPackOutDirs } from '../../src/init/wasm-pack-imports.js'
import { tempDir } from '../helpers.js'

/** A temporary folder holding `files` (relative path → text). */
function folder(files: Record<string, string>): string {
  const dir = tempDir()
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    fs.writeFileSync(path.join(dir, file), text)
  }
  return dir
}

test('CommonJS tool configs at the package root are renamed to .cjs; other files, nested configs and taken names are not', () => {
  const taken = new Set(['.eslintrc.cjs'])
  const { renames, rest } = toolConfigRenames(['.eslintrc.js', '.mocharc.js', 'jest.config.js', 'lib/util.js', 'packages/a/jest.config.js', 'scripts/build.js'], (file) => taken.has(file))
  assert.deepEqual(renames, [
    { from: '.mocharc.js', to: '.mocharc.cjs' },
    { from: 'jest.config.js', to: 'jest.config.cjs' },
  ])
  assert.deepEqual(rest, ['.eslintrc.js', 'lib/util.js', 'packages/a/jest.config.js', 'scripts/build.js'])
})

test("wasm-pack's output folders: pkg in the crate, and each --out-dir of the scripts against the command's crate path", () => {
  assert.deepEqual(wasmPackOutDirs('.'), ['pkg'])
  assert.deepEqual(
    wasmPackOutDirs('rust', {
      build: 'wasm-pack build rust --target nodejs --out-dir pkg/node && tsc',
      web: 'wasm-pack build --target web -d pkg.web',
      eq: 'cd x; wasm-pack build crates/core --out-dir=../../out --release',
      lint: 'eslint .',
      other: 42,
    }),
    ['rust/pkg', 'rust/pkg/node', 'pkg.web', 'out'],
  )
})

test("imports of wasm-pack's output are found in sources and tests, with file and line; apps, node_modules and the output itself are skipped", () => {
  const dir = folder({
    'src/node.ts': "import {\n  compress,\n} from '../rust/pkg/node/lz4_wasm';\nexport { compress }\n",
    'src/web.ts': "import * as js from '../rust/pkg/web/lz4_wasm'\nimport core from '../rust/pkg/web/lz4_wasm_bg.wasm'\n",
    'tests/a.test.cjs': "const m = require('../rust/pkg/node/lz4_wasm.js')\nconst n = await import(\"../src/node.js\")\n",
    'src/types.d.ts': "declare module '../rust/pkg/x'\n",
    'rust/pkg/node/lz4_wasm.js': "import './lz4_wasm_bg.js'\n",
    'www/package.json': '{}',
    'www/index.js': "import * as wasm from '../rust/pkg/node/lz4_wasm'\n",
    'node_modules/x/index.js': "require('../../rust/pkg/a')\n",
    'src/other.ts': "import { x } from 'rust/pkg/not-relative'\nimport y from './pkg/local'\n",
  })
  assert.deepEqual(
    wasmPackImports(dir, ['rust/pkg']).sort((a, b) => a.file.localeCompare(b.file)),
    [
      { file: 'src/node.ts', line: 3, specifier: '../rust/pkg/node/lz4_wasm' },
      { file: 'src/web.ts', line: 1, specifier: '../rust/pkg/web/lz4_wasm' },
      { file: 'src/web.ts', line: 2, specifier: '../rust/pkg/web/lz4_wasm_bg.wasm' },
      { file: 'tests/a.test.cjs', line: 1, specifier: '../rust/pkg/node/lz4_wasm.js' },
    ],
  )
  assert.deepEqual(wasmPackImports(folder({ 'src/index.ts': "export * from '../native/index.js'\n" }), ['pkg']), [])
})

test("the refusal lists each import and what to import instead, relative to the file for a relative binding import", () => {
  const dir = folder({ 'src/node.ts': "import { a } from '../pkg/x'\n", 'tests/t.mjs': "import '../pkg/x_bg.wasm'\nimport { a } from '../pkg/x.js'\n" })
  for (const [nativeImport, fromSrc, fromTests] of [
    ['#native', "'#native'", "'#native'"],
    ['../native/index.js', "'../native/index.js'", "'../native/index.js'"],
  ] as const) {
    assert.throws(
      () => assertNoWasmPackImports(dir, ['pkg'], nativeImport),
      (error: unknown) => {
        assert.ok(error instanceof RustyError)
        assert.equal(error.exitCode, 2)
        assert.match(error.message, /imports wasm-pack's output \(pkg\), which rusty does not build: src\/node\.ts:1 '\.\.\/pkg\/x', tests\/t\.mjs:1 '\.\.\/pkg\/x_bg\.wasm', tests\/t\.mjs:2 '\.\.\/pkg\/x\.js'\. Nothing was written\.$/)
        assert.ok(error.hint?.includes(`src/node.ts:1 ('../pkg/x' → ${fromSrc})`), error.hint)
        assert.ok(error.hint?.includes(`tests/t.mjs:2 ('../pkg/x.js' → ${fromTests})`), error.hint)
        assert.ok(error.hint?.includes("tests/t.mjs:1 ('../pkg/x_bg.wasm' → nothing: the binding loads its .wasm itself)"), error.hint)
        return true
      },
    )
  }
  assert.doesNotThrow(() => assertNoWasmPackImports(folder({ 'src/index.ts': "export * from '#native'\n" }), ['pkg'], '#native'))
})

test('the report lists each renamed tool config after the edited files', () => {
  const lines: string[] = []
  const reporter: Reporter = { start() {}, done() {}, handOff() {}, info: (m) => void lines.push(`info ${m}`), warn: (m) => void lines.push(`warn ${m}`) }
  const renamed = [
    { from: 'jest.config.js', to: 'jest.config.cjs' },
    { from: '.mocharc.js', to: '.mocharc.cjs' },
  ]
  reportChanges(reporter, { created: [], edited: ['package.json'], skipped: [], renamed, cargo: [], scripts: [], napiConfig: [], entriesLeft: [], ownDist: false })
  assert.deepEqual(lines, ['info Edited: package.json', 'info Renamed: jest.config.js → jest.config.cjs, .mocharc.js → .mocharc.cjs'])
})
