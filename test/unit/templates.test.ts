import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parse as parseToml } from 'smol-toml'
import { renderTemplates, tomlString } from '../../src/project/templates.js'
import { versions } from '../../src/versions.js'

const tricky = 'Ünïcødé {{name}} "quoted" \\ back\\slash \'single\' 🦀\ttab'

function context(description: string) {
  return {
    name: '@acme/fast-math',
    crateName: 'fast-math',
    libName: 'fast_math',
    description,
    version: '0.1.0',
    backend: 'napi',
    backendLabel: 'napi-rs',
    crateDir: 'rust',
    versions,
    rustyRange: '^0.1.0',
  }
}

test('napi templates render the expected files', async () => {
  const files = await renderTemplates(['common', 'napi'], context('plain'))
  assert.deepEqual([...files.keys()].sort(), [
    '.gitignore',
    'README.md',
    'rust/Cargo.toml',
    'rust/build.rs',
    'rust/src/lib.rs',
    'rust/src/panics.rs',
    'src/index.ts',
    'test/index.test.mjs',
    'tsconfig.json',
  ])
  for (const [file, content] of files) {
    assert.ok(!file.endsWith('.hbs'), `${file} lost its .hbs suffix`)
    assert.ok(!String(content).includes('{{'), `${file} has an unrendered placeholder`)
  }
})

test('values with quotes, braces, backslashes and unicode are rendered literally into valid TOML', async () => {
  const files = await renderTemplates(['common', 'napi'], context(tricky))
  const cargo = parseToml(String(files.get('rust/Cargo.toml'))) as { package: { name: string; description: string } }
  assert.equal(cargo.package.name, 'fast-math')
  assert.equal(cargo.package.description, tricky)
  assert.ok(String(files.get('README.md')).includes(tricky))
  assert.ok(String(files.get('test/index.test.mjs')).includes(`from "@acme/fast-math"`))
})

test('tomlString round-trips through a TOML parser', () => {
  for (const value of [tricky, '', 'line\nbreak', '"""', "'''"]) {
    const parsed = parseToml(`v = ${tomlString(value)}`) as { v: string }
    assert.equal(parsed.v, value)
  }
})

test('a missing template layer is a clear error', async () => {
  await assert.rejects(renderTemplates(['no-such-layer'], context('x')), /templates are missing/)
})
