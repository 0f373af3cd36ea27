// create-rusty is released with rusty-cli: same version, and it depends on
// exactly that rusty-cli (npm's `version` script keeps them in step).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { repoRoot } from '../helpers.js'

const read = (file: string) => JSON.parse(fs.readFileSync(path.join(repoRoot, file), 'utf8'))

test('create-rusty has rusty-cli\'s version and depends on exactly it', () => {
  const cli = read('package.json')
  const create = read('create-rusty/package.json')
  assert.equal(cli.name, 'rusty-cli')
  assert.equal(create.version, cli.version)
  assert.deepEqual(create.dependencies, { 'rusty-cli': cli.version })
  assert.equal(create.engines.node, cli.engines.node)
  assert.equal(cli.scripts.version, 'node scripts/sync-create-rusty.mjs && git add create-rusty/package.json')
})

test('rusty-cli, create-rusty and every generated package declare one Node range: versions.node', async () => {
  const { versions } = await import('../../src/versions.js')
  assert.equal(read('package.json').engines.node, versions.node)
  assert.equal(read('create-rusty/package.json').engines.node, versions.node)
  const { createPackageJson, createTemplateContext } = await import('../../src/project/package-json.js')
  const { validateProjectName } = await import('../../src/project/names.js')
  const { BACKENDS } = await import('../../src/project/backend-table.js')
  for (const backend of BACKENDS) {
    const context = createTemplateContext(validateProjectName('demo'), backend, { crateDir: 'rust' })
    assert.deepEqual(createPackageJson(context, backend).engines, { node: versions.node }, backend.name)
  }
})
