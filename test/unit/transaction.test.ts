// The build transaction (src/pipeline/transaction.ts, commitBuild in
// src/pipeline/run.ts): outputs staged with the compiled wrapper, checked,
// committed by rename in role order under a journal, stamps last; a failure
// at any step before the commit changes nothing, one during it is finished
// by the next run.
import { mock, test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import fsp from 'node:fs/promises'
import path from 'node:path'
import { commitBuild, placement } from '../../src/pipeline/run.js'
import { journalFileOf, recoverBuildState, stageDirOf } from '../../src/pipeline/transaction.js'
import { packageEntry } from '../../src/pipeline/load-check.js'
import { byRole, runtimeFile, runtimeSource, type OutputFile } from '../../src/backends/install.js'
import type { BackendBuild, Backend } from '../../src/backends/index.js'
import type { Project } from '../../src/project/config.js'
import { createReporter } from '../../src/util/reporter.js'
import { RustyError } from '../../src/errors.js'
import { repoRoot, tempDir } from '../helpers.js'

const reporter = createReporter({ silent: true })

/**
 * A package with a TypeScript wrapper (`src/index.ts` imports `greet` from
 * the binding) and a built binding v1 in native/ and dist/, as after a develop.
 */
async function builtPackage(): Promise<Project> {
  const root = tempDir('rusty-transaction-')
  fs.mkdirSync(path.join(root, 'src'))
  fs.mkdirSync(path.join(root, 'node_modules'))
  fs.symlinkSync(path.join(repoRoot, 'node_modules', 'typescript'), path.join(root, 'node_modules', 'typescript'))
  const packageJson = { name: 'p', type: 'module', exports: { '.': { import: './dist/index.js' } } }
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify(packageJson))
  fs.writeFileSync(
    path.join(root, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'NodeNext', target: 'ES2022', outDir: 'dist', rootDir: 'src', declaration: true, skipLibCheck: true }, include: ['src'] }),
  )
  fs.writeFileSync(path.join(root, 'src', 'index.ts'), "import { greet } from '../native/index.js'\nexport const hello = (): string => greet()\n")
  const project = { root, stateDir: path.join(root, '.rusty'), nativeDir: path.join(root, 'native'), packageJsonPath: path.join(root, 'package.json'), packageJson } as unknown as Project
  fs.mkdirSync(project.stateDir)
  await commitBuild({ mode: { kind: 'develop' }, project, reporter }, { loadsInNode: true }, placed(project, binding('v1')))
  return project
}

/** The binding of version `v`: a library, a runtime file, typings and a loader exporting `greet` (or `name`). */
function binding(v: string, name = 'greet'): OutputFile[] {
  return [
    { dest: 'index.js', role: 'loader', source: { content: `import { readFileSync } from 'node:fs'\nreadFileSync(new URL('./libp.so', import.meta.url))\nexport const ${name} = () => '${v}'\n` } },
    { dest: 'index.d.ts', role: 'typings', source: { content: `export declare const ${name}: () => string\n` } },
    runtimeFile('ffi.js'),
    { dest: 'libp.so', role: 'library', source: { content: `library ${v}` } },
  ]
}

function placed(project: Project, outputs: OutputFile[]) {
  const built: BackendBuild = { outputs, files: outputs.map((o) => o.dest), library: 'libp.so', artifactName: 'libp.linux-x64-gnu.so', platform: 'linux-x64-gnu', loadsInNode: true }
  return placement({ mode: { kind: 'develop' }, project, backend: { platformPackages: true } as Backend }, built)
}

/** Every file of native/ and dist/ with its text. */
function snapshot(project: Project): Record<string, string> {
  const files: Record<string, string> = {}
  for (const folder of ['native', 'dist']) {
    for (const entry of fs.readdirSync(path.join(project.root, folder), { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) files[path.relative(project.root, path.join(entry.parentPath, entry.name))] = fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8')
    }
  }
  return files
}

test('a develop is staged, checked and committed: library first, the wrapper, the loader last; stamps after; the stage is gone', async () => {
  const project = await builtPackage()
  assert.equal(snapshot(project)['native/libp.so'], 'library v1')
  assert.match(snapshot(project)['dist/index.js']!, /greet/)
  const renamed: string[] = []
  const rename = mock.method(fsp, 'rename', async (from: string, to: string) => {
    renamed.push(path.relative(project.root, to))
    return fs.renameSync(from, to)
  })
  let stampedAfter: string[] = []
  try {
    const result = await commitBuild({ mode: { kind: 'develop' }, project, reporter }, { loadsInNode: true, afterCommit: async () => void (stampedAfter = [...renamed]) }, placed(project, binding('v2')))
    assert.equal(result.changed, true)
    assert.equal(result.typescript.compiled, false, 'the typings did not change, nor did the wrapper')
  } finally {
    rename.mock.restore()
  }
  // The journal's own rename first; runtime ffi.js is unchanged, so not moved.
  assert.deepEqual(renamed, ['.rusty/commit-journal.json', 'native/libp.so', 'native/index.js'])
  assert.deepEqual(stampedAfter, renamed, 'the stamps are written once every file is in place')
  assert.equal(snapshot(project)['native/libp.so'], 'library v2')
  assert.deepEqual(fs.readdirSync(project.stateDir).sort(), ['tsc-stamp.json'])
  // With nothing to place and a current wrapper, nothing is staged.
  const mkdir = mock.method(fsp, 'mkdir')
  try {
    assert.equal((await commitBuild({ mode: { kind: 'develop' }, project, reporter }, { loadsInNode: true }, placed(project, []))).changed, false)
    // (A wrapper compiled within the racy window may have its stamp rewritten, which makes .rusty/; no stage.)
    const staged = mkdir.mock.calls.map((call) => String(call.arguments[0])).filter((dir) => dir.startsWith(stageDirOf(project)))
    assert.deepEqual(staged, [], 'a no-op stages nothing')
  } finally {
    mkdir.mock.restore()
  }
})

test('a TypeScript error against the new typings (a renamed Rust function) changes nothing', async () => {
  const project = await builtPackage()
  const before = snapshot(project)
  let stamped = false
  await assert.rejects(
    commitBuild({ mode: { kind: 'develop' }, project, reporter }, { loadsInNode: true, afterCommit: async () => void (stamped = true) }, placed(project, binding('v2', 'salute'))),
    (error: unknown) => error instanceof RustyError && /TypeScript found 1 error/.test(error.message) && /greet/.test(error.hint ?? ''),
  )
  assert.deepEqual(snapshot(project), before)
  assert.equal(stamped, false)
  assert.ok(!fs.existsSync(journalFileOf(project)))
  await recoverBuildState(project)
  assert.ok(!fs.existsSync(stageDirOf(project)), 'the next run removes the stage')
})

test('a new build that does not load in Node changes nothing', async () => {
  const project = await builtPackage()
  const before = snapshot(project)
  const broken = binding('v2').map((o) => (o.dest === 'index.js' ? { ...o, source: { content: "export const greet = () => ''\nthrow new TypeError('boom')\n" } } : o))
  await assert.rejects(commitBuild({ mode: { kind: 'develop' }, project, reporter }, { loadsInNode: true }, placed(project, broken)), (error: Error) => {
    assert.equal(error.message, 'The new build does not load; the previous build is unchanged.')
    assert.equal((error.cause as Error).message, 'TypeError: boom')
    return true
  })
  assert.deepEqual(snapshot(project), before)
})

test('a failure while staging, at each output, changes nothing', async () => {
  const project = await builtPackage()
  const before = snapshot(project)
  const outputs = byRole(binding('v2'))
  for (let failAt = 0; failAt < outputs.length; failAt++) {
    const failing = outputs.map((o, i) => (i === failAt ? { ...o, source: { file: path.join(project.root, 'missing') } } : o))
    await assert.rejects(commitBuild({ mode: { kind: 'develop' }, project, reporter }, { loadsInNode: true }, placed(project, failing)), { code: 'ENOENT' })
    assert.deepEqual(snapshot(project), before, `failure at ${outputs[failAt]!.dest}`)
    assert.ok(!fs.existsSync(journalFileOf(project)))
  }
})

test('a failure at each move of the commit is finished by the next run (the journal is replayed)', async () => {
  for (let failAt = 1; failAt <= 3; failAt++) {
    const project = await builtPackage()
    fs.writeFileSync(path.join(project.root, 'src', 'index.ts'), "import { greet } from '../native/index.js'\nexport const hello = (): string => `${greet()}!`\n")
    let calls = 0
    const rename = mock.method(fsp, 'rename', async (from: string, to: string) => {
      if (!to.endsWith('commit-journal.json') && ++calls === failAt) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })
      return fs.renameSync(from, to)
    })
    let stamped = false
    try {
      await assert.rejects(commitBuild({ mode: { kind: 'develop' }, project, reporter }, { loadsInNode: true, afterCommit: async () => void (stamped = true) }, placed(project, binding('v2'))), { code: 'ENOSPC' })
    } finally {
      rename.mock.restore()
    }
    assert.equal(stamped, false, 'no stamp for a half-committed build')
    assert.ok(fs.existsSync(journalFileOf(project)))
    assert.equal(await recoverBuildState(project), true)
    const after = snapshot(project)
    assert.equal(after['native/libp.so'], 'library v2', `failure at move ${failAt}`)
    assert.match(after['native/index.js']!, /'v2'/)
    assert.match(after['dist/index.js']!, /!/)
    assert.ok(!fs.existsSync(journalFileOf(project)) && !fs.existsSync(stageDirOf(project)))
  }
})

test('recoverBuildState removes what killed runs leave, and nothing else', async () => {
  const project = await builtPackage()
  for (const dir of ['stage/native', 'napi', '.napi.napi-stage-1', 'koffi-check-42', 'wasm/web', 'publish/load-check/node_modules', 'publish/tarballs']) fs.mkdirSync(path.join(project.stateDir, dir), { recursive: true })
  fs.writeFileSync(path.join(project.nativeDir, '.libp.so.12.abcd.tmp'), 'half')
  fs.writeFileSync(path.join(project.root, 'dist', '.index.js.3.ef.tmp'), 'half')
  assert.equal(await recoverBuildState(project), false)
  assert.deepEqual(fs.readdirSync(project.stateDir).sort(), ['publish', 'tsc-stamp.json'])
  assert.deepEqual(fs.readdirSync(path.join(project.stateDir, 'publish')), ['tarballs'], "publish's temporary app is gone, its tarballs stay")
  assert.ok(!Object.keys(snapshot(project)).some((file) => file.endsWith('.tmp')))
})

test('placement: develop puts everything in native/; an artifact build moves the library, or copies it for a backend without platform packages', () => {
  const project = { root: '/p', nativeDir: '/p/native' } as Project
  const built: BackendBuild = { outputs: [{ dest: 'web/index_bg.wasm', role: 'library', source: { content: 'w' } }], files: ['web/index_bg.wasm'], library: 'web/index_bg.wasm', artifactName: 'p.wasm', platform: 'wasm32', loadsInNode: true, stale: ['nodejs'] }
  const develop = placement({ mode: { kind: 'develop' }, project, backend: { platformPackages: false } as Backend }, built)
  assert.deepEqual(develop.outputs.map((o) => o.to), [path.join('/p/native/web/index_bg.wasm')])
  assert.deepEqual(develop.stale, [path.join('/p/native/nodejs')])
  const copied = placement({ mode: { kind: 'artifact', dir: '/p/artifacts' }, project, backend: { platformPackages: false } as Backend }, built)
  assert.deepEqual(copied.outputs.map((o) => o.to), [path.join('/p/native/web/index_bg.wasm'), path.join('/p/artifacts/p.wasm')])
  assert.equal(copied.artifact, path.join('/p/artifacts/p.wasm'))
  const moved = placement({ mode: { kind: 'artifact', dir: '/p/artifacts' }, project, backend: { platformPackages: true } as Backend }, built)
  assert.deepEqual(moved.outputs.map((o) => o.to), [path.join('/p/artifacts/p.wasm')])
})

test('packageEntry: exports, then main, then the native loader', () => {
  const dir = tempDir()
  fs.mkdirSync(path.join(dir, 'dist'))
  fs.mkdirSync(path.join(dir, 'native'))
  fs.writeFileSync(path.join(dir, 'native', 'node.js'), '')
  assert.equal(packageEntry(dir, {}), path.join(dir, 'native', 'node.js'))
  fs.writeFileSync(path.join(dir, 'dist', 'index.js'), '')
  assert.equal(packageEntry(dir, { main: 'dist/index.js' }), path.join(dir, 'dist', 'index.js'))
  assert.equal(packageEntry(dir, { exports: { '.': { import: './dist/index.js' } } }), path.join(dir, 'dist', 'index.js'))
  assert.equal(packageEntry(dir, { exports: './dist/index.js' }), path.join(dir, 'dist', 'index.js'))
  assert.ok(fs.existsSync(runtimeSource('ffi.js')))
})
