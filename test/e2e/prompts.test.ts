// What a person sees at a terminal: `rusty new` and `rusty init` ask their
// questions (the shared prompts of src/project/prompts.ts), driven through
// tmux as a user types. tmux must be on PATH.
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { execa } from 'execa'
import { cliPath, tempDir } from '../helpers.js'

const sessions: string[] = []
after(async () => {
  for (const session of sessions) await execa('tmux', ['kill-session', '-t', session], { reject: false })
})

/** Starts `rusty <args>` in a detached tmux session in `cwd`; the shell prints `EXIT=<code>` when it ends. */
async function start(args: string[], cwd: string): Promise<string> {
  const session = `rusty-prompts-${process.pid}-${sessions.length}`
  sessions.push(session)
  const command = `${[process.execPath, cliPath, ...args].map((a) => `'${a}'`).join(' ')}; echo EXIT=$?; sleep 60`
  const result = await execa('tmux', ['new-session', '-d', '-s', session, '-x', '120', '-y', '50', '-c', cwd, '-e', 'NO_COLOR=1', command], { reject: false })
  assert.notEqual((result as { code?: string }).code, 'ENOENT', 'tmux is not on PATH')
  assert.equal(result.exitCode, 0, result.stderr)
  return session
}

/** The session's screen once it shows `text` (waits up to 20 s). */
async function waitFor(session: string, text: string): Promise<string> {
  let screen = ''
  for (let i = 0; i < 200; i++) {
    screen = (await execa('tmux', ['capture-pane', '-p', '-t', session, '-S', '-200'])).stdout
    if (screen.includes(text)) return screen
    await sleep(100)
  }
  assert.fail(`"${text}" did not appear; the screen:\n${screen}`)
}

const keys = (session: string, ...names: string[]) => execa('tmux', ['send-keys', '-t', session, ...names])

test('rusty new asks for the folder, name, backend (every label, napi first), CI and install', async () => {
  const cwd = tempDir('rusty-prompt-new-')
  const session = await start(['new', '--dry-run', '--no-git'], cwd)
  await waitFor(session, 'Where should the project go?')
  await keys(session, 'Enter')
  await waitFor(session, 'Package name?')
  await keys(session, 'Enter')
  const backend = await waitFor(session, 'Which backend?')
  assert.match(backend, /napi: a Node-API addon built with napi-rs \(\.node\)/)
  await keys(session, 'Down')
  await waitFor(session, 'koffi: a C-ABI cdylib loaded with koffi, with generated bindings')
  await keys(session, 'Enter')
  await waitFor(session, 'Add a GitHub Actions workflow')
  await keys(session, 'Enter')
  await waitFor(session, 'Install dependencies with')
  await keys(session, 'Enter')
  const done = await waitFor(session, 'EXIT=')
  assert.match(done, /EXIT=0/)
  assert.ok(done.includes(`Would create ${path.join(cwd, 'my-lib')} with:`), done)
  assert.match(done, /rust\/cbindgen\.toml/, 'the koffi template')
  assert.match(done, /\.github\/workflows\/rusty\.yml/)
  assert.deepEqual(fs.readdirSync(cwd), [], 'a dry run writes nothing')
})

test('cancelling a question writes nothing and exits 130', async () => {
  const cwd = tempDir('rusty-prompt-cancel-')
  const session = await start(['new', 'lib', '--name', 'lib', '--no-git', '--no-install'], cwd)
  await waitFor(session, 'Which backend?')
  await keys(session, 'C-c')
  const done = await waitFor(session, 'EXIT=')
  assert.match(done, /Cancelled: nothing was written\./)
  assert.match(done, /EXIT=130/)
  assert.deepEqual(fs.readdirSync(cwd), [])
})

test('rusty init asks for the backend and adds that backend to the package', async () => {
  const cwd = tempDir('rusty-prompt-init-')
  fs.writeFileSync(path.join(cwd, 'package.json'), `${JSON.stringify({ name: 'prompted', version: '1.0.0', type: 'module' }, null, 2)}\n`)
  const session = await start(['init'], cwd)
  await waitFor(session, 'Which backend?')
  await keys(session, 'Down', 'Down', 'Enter')
  const done = await waitFor(session, 'EXIT=')
  assert.match(done, /EXIT=0/)
  assert.match(done, /Added rusty \(wasm\) to prompted/)
  const pkg = JSON.parse(fs.readFileSync(path.join(cwd, 'package.json'), 'utf8')) as { rusty: { backend: string }; imports?: Record<string, unknown> }
  assert.equal(pkg.rusty.backend, 'wasm')
  assert.ok(pkg.imports?.['#native'])
})

test('rusty init shows the old tools it must upgrade and asks before changing them', async () => {
  const cwd = tempDir('rusty-prompt-init-old-')
  fs.writeFileSync(path.join(cwd, 'package.json'), `${JSON.stringify({ name: 'prompted-old', version: '1.0.0', type: 'module', devDependencies: { typescript: '^4.9.5' } }, null, 2)}\n`)
  const session = await start(['init', '--backend', 'koffi'], cwd)
  const asked = await waitFor(session, 'Apply these changes')
  assert.match(asked, /package\.json devDependencies typescript "\^4\.9\.5" → "~5\.9\.3"/)
  await keys(session, 'Enter')
  const done = await waitFor(session, 'EXIT=')
  assert.match(done, /EXIT=0/)
  const pkg = JSON.parse(fs.readFileSync(path.join(cwd, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }
  assert.equal(pkg.devDependencies.typescript, '~5.9.3')
})
