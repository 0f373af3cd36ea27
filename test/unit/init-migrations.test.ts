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
import { planWasmPackRewrites, wasmPackImports, wasmPackOutDirs } from '../../src/init/wasm-pack-imports.js'
import { tempDir, tempFolderWith } from '../helpers.js'

const folder = tempFolderWith

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
  assert.deepEqual(wasmPackOutDirs('.'), [{ dir: 'pkg', target: 'bundler' }])
  assert.deepEqual(
    wasmPackOutDirs('rust', {
      build: 'wasm-pack build rust --target nodejs --out-dir pkg/node && tsc',
      web: 'wasm-pack build --target web -d pkg.web',
      eq: 'cd x; wasm-pack build crates/core --out-dir=../../out --release',
      lint: 'eslint .',
      other: 42,
    }),
    [
      { dir: 'rust/pkg', target: 'bundler' },
      { dir: 'rust/pkg/node', target: 'nodejs' },
      { dir: 'pkg.web', target: 'web' },
      { dir: 'x/out', target: 'bundler' },
    ],
  )
  // kikiutils/node-lz4-wasm: `"build:wasm": "sh ./build-wasm.sh"`, which runs wasm-pack from rust/.
  const scripts: Record<string, string> = {
    'build-wasm.sh': '#!/bin/bash\nset -e\ncd ./rust\nwasm-pack build --no-pack --out-dir=./pkg/node --release --target nodejs\nwasm-pack build --out-dir=./pkg/web --target=web\n',
    'tools/inner.sh': 'wasm-pack build --out-dir never',
  }
  assert.deepEqual(
    wasmPackOutDirs('rust', { 'build:wasm': 'sh ./build-wasm.sh', nested: 'bash tools/inner.sh', missing: './absent.sh' }, (file) => scripts[file]),
    [
      { dir: 'rust/pkg', target: 'bundler' },
      { dir: 'rust/pkg/node', target: 'nodejs' },
      { dir: 'rust/pkg/web', target: 'web' },
      { dir: 'never', target: 'bundler' },
    ],
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
      { file: 'src/node.ts', line: 3, specifier: '../rust/pkg/node/lz4_wasm', resolved: 'rust/pkg/node/lz4_wasm' },
      { file: 'src/web.ts', line: 1, specifier: '../rust/pkg/web/lz4_wasm', resolved: 'rust/pkg/web/lz4_wasm' },
      { file: 'src/web.ts', line: 2, specifier: '../rust/pkg/web/lz4_wasm_bg.wasm', resolved: 'rust/pkg/web/lz4_wasm_bg.wasm' },
      { file: 'tests/a.test.cjs', line: 1, specifier: '../rust/pkg/node/lz4_wasm.js', resolved: 'rust/pkg/node/lz4_wasm.js' },
    ],
  )
  assert.deepEqual(wasmPackImports(folder({ 'src/index.ts': "export * from '../native/index.js'\n" }), ['pkg']), [])
})

/** wasm-pack builds for Node.js and for browsers, as kikiutils/node-lz4-wasm makes them. */
const NODE_AND_WEB = [
  { dir: 'pkg/node', target: 'nodejs' },
  { dir: 'pkg/web', target: 'web' },
]

test("plain imports of wasm-pack's output are rewritten to the binding, relative to each file for a relative binding import; only the specifier changes", () => {
  const files = {
    'src/node.ts': "import { a } from '../pkg/node/x'; // from '../pkg/node/x'\nexport { a }\n",
    'tests/t.test.cjs': 'const { a } = require("../pkg/node/x.js")\n',
    'tests/u.test.mjs': "const m = await import('../pkg/node')\n",
    'bench.mjs': "import { a } from './pkg/a.js'\n",
  }
  const outputs = [{ dir: 'pkg', target: 'bundler' }, ...NODE_AND_WEB]
  const dir = folder(files)
  const self = planWasmPackRewrites(dir, outputs, '#native')
  assert.deepEqual(self.rewrites, [
    { file: 'bench.mjs', line: 1, from: './pkg/a.js', to: '#native' },
    { file: 'src/node.ts', line: 1, from: '../pkg/node/x', to: '#native' },
    { file: 'tests/t.test.cjs', line: 1, from: '../pkg/node/x.js', to: '#native' },
    { file: 'tests/u.test.mjs', line: 1, from: '../pkg/node', to: '#native' },
  ])
  assert.deepEqual(Object.fromEntries(self.edits), {
    'bench.mjs': "import { a } from '#native'\n",
    'src/node.ts': "import { a } from '#native'; // from '#native'\nexport { a }\n",
    'tests/t.test.cjs': 'const { a } = require("#native")\n',
    'tests/u.test.mjs': "const m = await import('#native')\n",
  })
  const relative = planWasmPackRewrites(dir, outputs, '../native/index.js')
  assert.deepEqual(
    relative.rewrites.map((r) => `${r.file} ${r.to}`),
    ['bench.mjs ./native/index.js', 'src/node.ts ../native/index.js', 'tests/t.test.cjs ../native/index.js', 'tests/u.test.mjs ../native/index.js'],
  )
  for (const [file, text] of Object.entries(files)) assert.equal(fs.readFileSync(path.join(dir, file), 'utf8'), text, 'planning writes nothing')
  assert.deepEqual(planWasmPackRewrites(folder({ 'src/index.ts': "export * from '#native'\n" }), outputs, '#native'), { rewrites: [], edits: new Map() })
})

test("imports the binding cannot stand in for (a .wasm file, a --target web build, wasm-bindgen's internal modules) are refused, each with its fix", () => {
  const dir = folder({
    'src/node.ts': "import { a } from '../pkg/node/x'\n",
    'src/web.ts': "import init, { a } from '../pkg/web/x'\nimport core from '../pkg/web/x_bg.wasm'\n",
    'tests/t.mjs': "import { b } from '../pkg/node/x_bg.js'\nimport '../pkg/node/snippets/s/inline0.js'\n",
  })
  assert.throws(
    () => planWasmPackRewrites(dir, NODE_AND_WEB, '#native'),
    (error: unknown) => {
      assert.ok(error instanceof RustyError)
      assert.equal(error.exitCode, 2)
      assert.match(error.message, /imports wasm-pack's output in a way rusty's binding cannot stand in for: /)
      assert.match(error.message, /src\/web\.ts:1 '\.\.\/pkg\/web\/x' \(built with --target web, which needs its init\(\) call: import the binding instead and delete the init\(\) call\)/)
      assert.match(error.message, /src\/web\.ts:2 '\.\.\/pkg\/web\/x_bg\.wasm' \(a \.wasm file \(a bundler plugin loads it\): delete this import, the binding loads its \.wasm itself\)/)
      assert.match(error.message, /tests\/t\.mjs:1 '\.\.\/pkg\/node\/x_bg\.js' \(not wasm-pack's main module/)
      assert.match(error.message, /tests\/t\.mjs:2 '\.\.\/pkg\/node\/snippets\/s\/inline0\.js' \(not wasm-pack's main module/)
      assert.doesNotMatch(error.message, /src\/node\.ts/, 'a plain import is rewritten, not refused')
      assert.match(error.message, /Nothing was written\.$/)
      assert.match(error.hint ?? '', /the binding is '#native' from src\/.*rewrites the plain imports/)
      return true
    },
  )
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
