// The build transaction's fault tests, shared by the koffi, napi and wasm
// e2e files: a develop that fails after cargo, or is killed at any point,
// leaves a package that imports; the next develop repairs whatever a kill
// during the commit left, and the package never ships a temporary file.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { execa } from 'execa'
import { cliPath, runNode, rusty, testEnv } from './helpers.js'

/** A generated project under test, and how its backend spells a Rust export. */
export interface FaultSubject {
  /** The package root (its package.json name is what apps import). */
  project: string
  /** How the wrapper imports the binding: `../native/index.js`, or `#native` (wasm). */
  bindingImport: string
  /** An exported Rust function `name` returning the i32 `value`, as this backend's crate declares it. */
  exportFn: (name: string, value: number) => string
  /** Extra environment for rusty (wasm: the toolchain with the wasm32 target). */
  env?: Record<string, string | undefined>
}

/** Where a rebuild is killed: while cargo compiles, or at a pause point of src/pipeline/transaction.ts. */
export type KillPoint = 'cargo' | 'built' | 'staging' | 'commit'

const lib = (subject: FaultSubject) => path.join(subject.project, 'rust', 'src', 'lib.rs')
const packageName = (subject: FaultSubject) => (JSON.parse(fs.readFileSync(path.join(subject.project, 'package.json'), 'utf8')) as { name: string }).name

/** `add(2, 3)` through the package's name, as an app imports it. */
async function addThroughPackage(subject: FaultSubject): Promise<unknown> {
  return runNode(subject.project, `import { add } from '${packageName(subject)}'; console.log(JSON.stringify(add(2, 3)))`)
}

/**
 * (a) The wrapper imports `add`; the Rust function is renamed: develop fails
 * with TypeScript's error, and the package still imports with the previous
 * build (native/ and dist/ untouched). Then both files are restored and
 * develop succeeds. One cargo build, plus one no-op.
 */
export async function assertTypeScriptErrorKeepsBuild(subject: FaultSubject): Promise<void> {
  const wrapper = path.join(subject.project, 'src', 'index.ts')
  const [rust, ts] = [fs.readFileSync(lib(subject), 'utf8'), fs.readFileSync(wrapper, 'utf8')]
  try {
    fs.writeFileSync(wrapper, `${ts}\nimport { add as rustAdd } from '${subject.bindingImport}'\nexport const addTwice = (a: number, b: number): number => 2 * rustAdd(a, b)\n`)
    const first = await rusty(['develop'], { cwd: subject.project, env: subject.env })
    assert.equal(first.exitCode, 0, first.all)
    const before = snapshot(subject.project)
    assert.match(fs.readFileSync(lib(subject), 'utf8'), /fn add\(/)
    fs.writeFileSync(lib(subject), fs.readFileSync(lib(subject), 'utf8').replace(/fn add\(/, 'fn add_renamed('))
    const failed = await rusty(['develop'], { cwd: subject.project, env: subject.env })
    assert.equal(failed.exitCode, 1, failed.all)
    assert.match(failed.stderr, /error TS(2305|2724)/)
    assert.match(failed.stderr, /^error: TypeScript found 1 error in the package's wrapper/m)
    assert.deepEqual(snapshot(subject.project), before, 'native/ and dist/ are as the last good build left them')
    assert.equal(await addThroughPackage(subject), 5)
  } finally {
    fs.writeFileSync(lib(subject), rust)
    fs.writeFileSync(wrapper, ts)
  }
  const repaired = await rusty(['develop'], { cwd: subject.project, env: subject.env })
  assert.equal(repaired.exitCode, 0, repaired.all)
  assert.equal(await addThroughPackage(subject), 5)
}

/**
 * (b) For each point: a new Rust export, a develop killed (SIGKILL, with
 * cargo: its process group) there; the package still imports (a kill during
 * the commit: after the next develop, which finishes it from the journal);
 * the next develop builds the new export; `npm pack --dry-run` lists no
 * temporary file. The Rust source is restored and built again at the end.
 */
export async function assertKillsLeaveWorkingBuild(subject: FaultSubject, points: KillPoint[]): Promise<void> {
  const rust = fs.readFileSync(lib(subject), 'utf8')
  const first = await rusty(['develop'], { cwd: subject.project, env: subject.env })
  assert.equal(first.exitCode, 0, first.all)
  try {
    for (const [index, point] of points.entries()) {
      const name = `faultextra${index}`
      fs.appendFileSync(lib(subject), `\n${subject.exportFn(name, 100 + index)}\n`)
      await killDevelopAt(subject, point)
      if (point === 'commit') assert.ok(fs.existsSync(path.join(subject.project, '.rusty', 'commit-journal.json')), 'the journal of the interrupted commit')
      else assert.equal(await addThroughPackage(subject), 5, `import after a kill at ${point}`)
      const next = await rusty(['develop'], { cwd: subject.project, env: subject.env })
      assert.equal(next.exitCode, 0, next.all)
      assert.equal(await addThroughPackage(subject), 5)
      const added = await runNode(subject.project, `import { ${name} } from '${packageName(subject)}'; console.log(JSON.stringify(${name}()))`).catch((error: Error) => error.message)
      assert.equal(added, 100 + index, `the export added before the kill at ${point}; the develop after it said:\n${next.all}`)
      const leftovers = fs.readdirSync(path.join(subject.project, '.rusty')).filter((entry) => /^(stage|napi|wasm|\.napi.*|koffi-check-.*|commit-journal.*)$/.test(entry))
      assert.deepEqual(leftovers, [], `nothing left in .rusty/ after the kill at ${point}`)
      const packed = await execa('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: subject.project, env: testEnv(), stdin: 'ignore' })
      const files = (JSON.parse(packed.stdout) as { files: { path: string }[] }[])[0]!.files.map((file) => file.path)
      assert.deepEqual(files.filter((file) => /\.tmp$|(^|\/)\.|stage/.test(file)), [], `no temporary file in the package after the kill at ${point}`)
    }
  } finally {
    fs.writeFileSync(lib(subject), rust)
  }
  const restored = await rusty(['develop'], { cwd: subject.project, env: subject.env })
  assert.equal(restored.exitCode, 0, restored.all)
}

/** Starts `rusty develop` in its own process group and SIGKILLs the group at `point`. */
async function killDevelopAt(subject: FaultSubject, point: KillPoint): Promise<void> {
  const env = testEnv({ ...subject.env, ...(point === 'cargo' ? {} : { RUSTY_TEST_PAUSE_AT: point }) })
  const child = execa(process.execPath, [cliPath, 'develop'], { cwd: subject.project, env, detached: true, reject: false, all: true, stdin: 'ignore' })
  const mark = point === 'cargo' ? /Compiling / : new RegExp(`rusty: paused at ${point}`)
  let seen = ''
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString()
      if (mark.test(seen)) resolve()
    })
    child.stderr!.once('end', () => reject(new Error(`develop never reached ${point}:\n${seen}`)))
  })
  process.kill(-child.pid!, 'SIGKILL')
  const result = await child
  assert.equal(result.signal, 'SIGKILL', result.all)
}

/** Every file of native/ and dist/ with its bytes (base64). */
function snapshot(project: string): Record<string, string> {
  const files: Record<string, string> = {}
  for (const folder of ['native', 'dist']) {
    const dir = path.join(project, folder)
    for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) files[path.relative(project, path.join(entry.parentPath, entry.name))] = fs.readFileSync(path.join(entry.parentPath, entry.name)).toString('base64')
    }
  }
  return files
}
