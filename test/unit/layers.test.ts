// The import graph of src/: the layers of .dependency-cruiser.mjs (entry →
// commands → init → publish/workflows → pipeline → backends → project →
// boundary → util → base), no circle, no command importing another, no
// module outside a layer. Checked with dependency-cruiser's API, which
// reports each offending arrow.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { cruise, type ICruiseResult } from 'dependency-cruiser'
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options'
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config'
import { repoRoot, tempDir } from '../helpers.js'

/**
 * The rules broken in the TypeScript sources under `<root>/src`, one line
 * each (`rule: from → to`, a circle's path for no-circular), with the
 * repository's rules (.dependency-cruiser.mjs), and how many modules were read.
 */
async function violations(root: string): Promise<{ modules: number; broken: string[] }> {
  const options = await extractDepcruiseOptions(path.join(repoRoot, '.dependency-cruiser.mjs'))
  const tsConfig = extractTSConfig(path.join(root, 'tsconfig.json'))
  const { output } = await cruise(['src'], { ...options, baseDir: root, tsConfig: { fileName: 'tsconfig.json' } }, undefined, { tsConfig })
  const result = output as ICruiseResult
  const broken = result.summary.violations.map((v) =>
    v.cycle ? `${v.rule.name}: ${[v.from, ...v.cycle.map((step) => step.name)].join(' → ')}` : `${v.rule.name}: ${v.from} → ${v.to}`,
  )
  return { modules: result.modules.length, broken }
}

test("src/ keeps its layers: no upward import, no circle, every module in a layer", async () => {
  const { modules, broken } = await violations(repoRoot)
  assert.ok(modules > 100, `read ${modules} modules`)
  assert.deepEqual(broken, [], `import graph rules broken (.dependency-cruiser.mjs):\n${broken.join('\n')}`)
})

test('the rules catch an upward import, a circle, a command importing a command and a folder in no layer', async () => {
  const root = tempDir('rusty-layers-')
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true })
    fs.writeFileSync(path.join(root, file), text)
  }
  write('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true }, include: ['src'] }))
  write('src/commands/run.ts', "import { leaf } from '../stray/leaf.js'\nimport { other } from './other.js'\nexport const run = leaf + other\n")
  write('src/commands/other.ts', 'export const other = 1\n')
  write('src/stray/leaf.ts', 'export const leaf = 1\n')
  write('src/util/helper.ts', "import { run } from '../commands/run.js'\nexport const helper = run\n")
  write('src/project/a.ts', "import { b } from './b.js'\nexport const a = () => b\n")
  write('src/project/b.ts', "import { a } from './a.js'\nexport const b = () => a\n")
  write('src/stray/thing.ts', "import { helper } from '../util/helper.js'\nexport const thing = helper\n")
  assert.deepEqual((await violations(root)).broken.sort(), [
    'no-circular: src/project/a.ts → src/project/b.ts → src/project/a.ts',
    'no-command-imports-a-command: src/commands/run.ts → src/commands/other.ts',
    'no-unknown-layer: src/commands/run.ts → src/stray/leaf.ts',
    'no-unknown-layer: src/stray/thing.ts → src/util/helper.ts',
    'no-upward-import-from-util: src/util/helper.ts → src/commands/run.ts',
  ])
})
