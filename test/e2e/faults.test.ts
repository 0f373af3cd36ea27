// Faults that must end in one clear error (exit 1), with nothing lost: a
// damaged `.rusty/`, a full disk and a read-only file system under a real
// koffi project built with real cargo, `develop --watch` on a crate at the
// package root, and `rusty version` on Cargo.toml files written by hand.
// The full disk is a small tmpfs and the read-only file system the same tmpfs
// remounted read-only: this file mounts, so it runs as root (as CI does).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { execa } from 'execa'
import { cliPath, repoRoot, rusty, runNode, tempDir, testEnv } from '../helpers.js'

// A fixed crate name keeps cargo's cache in the shared target dir warm across runs.
const name = 'rusty-e2e-faults'
const mount = tempDir('rusty-faults-mount-')
const project = path.join(mount, name)
const lib = path.join(project, 'rust', 'src', 'lib.rs')
const greet = () => runNode(project, `import { greet } from '${name}'; console.log(JSON.stringify(greet('x')))`)
let mounted = false

before(async () => {
  // 16 MiB: room for one debug build of the crate (a 7 MiB library), not two.
  const mounting = await execa('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', mount], { reject: false, all: true })
  assert.equal(mounting.exitCode, 0, `this test mounts a tmpfs and must run as root: ${mounting.all}`)
  mounted = true
  const created = await rusty(['new', name, '--backend', 'koffi', '--yes', '--no-git', '--no-install'], { cwd: mount })
  assert.equal(created.exitCode, 0, created.all)
  // This repository's typescript and koffi serve the project (no install: the disk is small).
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(project, 'node_modules'))
  const built = await rusty(['develop'], { cwd: project })
  assert.equal(built.exitCode, 0, built.all)
  assert.equal(await greet(), 'Hello, x! (from Rust)')
})

after(async () => {
  if (mounted) await execa('umount', [mount])
})

/** The `error:` and `hint:` lines of a run's stderr. */
const errorLines = (stderr: string) => stderr.split('\n').filter((line) => /^(error|hint):/.test(line))

test('develop with .rusty as a file: one error naming it, the file kept, the previous build still imports', async () => {
  const state = path.join(project, '.rusty')
  fs.renameSync(state, `${state}.saved`)
  fs.writeFileSync(state, 'my notes\n')
  try {
    const result = await rusty(['develop'], { cwd: project })
    assert.equal(result.exitCode, 1, result.all)
    assert.deepEqual(errorLines(result.stderr), [
      `error: ${state} is not a folder; rusty keeps the project's build state in a folder of that name.`,
      `hint: Move or delete ${state}; rusty makes the folder on the next build.`,
    ])
    assert.equal(fs.readFileSync(state, 'utf8'), 'my notes\n')
    assert.equal(await greet(), 'Hello, x! (from Rust)')
  } finally {
    fs.rmSync(state)
    fs.renameSync(`${state}.saved`, state)
  }
})

test('develop with a file at .rusty/build.lock removes it and builds at once, every time', async () => {
  const lock = path.join(project, '.rusty', 'build.lock')
  fs.writeFileSync(lock, '')
  const started = Date.now()
  const result = await rusty(['develop'], { cwd: project })
  assert.equal(result.exitCode, 0, result.all)
  assert.match(result.stderr, /build\.lock was a file, not a lock; removed it\./)
  assert.ok(Date.now() - started < 15_000, `no wait for a stale lock (took ${Date.now() - started} ms)`)
  const again = await rusty(['develop'], { cwd: project })
  assert.equal(again.exitCode, 0, again.all)
  assert.doesNotMatch(again.stderr, /build\.lock/)
})

test('develop with damaged stamps (fields missing) rebuilds what they vouched for and writes them again', async () => {
  const state = path.join(project, '.rusty')
  const stamps = fs.readdirSync(state).filter((file) => file.endsWith('-stamp.json'))
  assert.deepEqual(stamps.sort(), ['koffi-bindings-stamp.json', 'koffi-library-stamp.json', 'tsc-stamp.json'])
  for (const stamp of stamps) {
    const file = path.join(state, stamp)
    const { at, key, compiler } = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>
    // What a cut-short or hand-edited stamp could hold: its own path and key, nothing else.
    fs.writeFileSync(file, JSON.stringify({ at, key, compiler }))
  }
  const result = await rusty(['develop'], { cwd: project })
  assert.equal(result.exitCode, 0, result.all)
  assert.match(result.stderr, /Compiled the TypeScript wrapper/)
  assert.equal(await greet(), 'Hello, x! (from Rust)')
  const settled = await rusty(['develop'], { cwd: project })
  assert.equal(settled.exitCode, 0, settled.all)
  assert.match(settled.stderr, /TypeScript wrapper up to date/)
})

test('a full disk during develop: one error naming the file and the cause, exit 1; the previous build imports; freed, develop works', async () => {
  const source = fs.readFileSync(lib, 'utf8')
  fs.writeFileSync(lib, source.replace('(from Rust)', '(from a full disk)'))
  const filler = path.join(mount, 'filler')
  const native = path.join(project, 'native')
  // Full to the last byte, the first write fails (the lock's owner record);
  // with 512 KiB left, the copy of the 7 MiB library into the staging folder
  // does (.rusty/stage, src/pipeline/transaction.ts): native/ is never written.
  const cases = [
    { leave: 0, file: `${project}/.rusty/build.lock.owner`, error: `error: Cannot write ${project}/.rusty/build.lock.owner: no space left on device (ENOSPC).` },
    { leave: 512 * 1024, file: `${project}/.rusty/stage/native/librusty_e2e_faults.so`, error: new RegExp(`^error: Cannot copy \\S+ to ${project}/\\.rusty/stage/native/librusty_e2e_faults\\.so: no space left on device \\(ENOSPC\\)\\.$`) },
  ]
  try {
    for (const { leave, file, error } of cases) {
      const { bavail, bsize } = fs.statfsSync(mount)
      await execa('fallocate', ['-l', String(bavail * bsize - leave), filler])
      const result = await rusty(['develop'], { cwd: project })
      assert.equal(result.exitCode, 1, result.all)
      const [first, hint, ...rest] = errorLines(result.stderr)
      if (typeof error === 'string') assert.equal(first, error)
      else assert.match(first!, error)
      assert.equal(hint, `hint: Free space on the file system that holds ${path.dirname(file)} (df -h ${path.dirname(file)}), then run the command again.`)
      assert.deepEqual(rest, [])
      assert.doesNotMatch(result.stderr, /This is a bug|^\s+at /m)
      assert.equal(await greet(), 'Hello, x! (from Rust)', 'the previous build is in place')
      assert.deepEqual(fs.readdirSync(native).filter((name) => name.endsWith('.tmp')), [], 'no temporary file left')
      fs.rmSync(filler)
    }
  } finally {
    fs.rmSync(filler, { force: true })
  }
  const freed = await rusty(['develop'], { cwd: project })
  fs.writeFileSync(lib, source)
  assert.equal(freed.exitCode, 0, freed.all)
  assert.equal(await greet(), 'Hello, x! (from a full disk)')
})

test('a read-only file system: develop, build and publish end in one error naming the path, exit 1; the previous build imports', async () => {
  await execa('mount', ['-o', 'remount,ro', mount])
  try {
    const develop = await rusty(['develop'], { cwd: project })
    assert.equal(develop.exitCode, 1, develop.all)
    assert.deepEqual(errorLines(develop.stderr), [
      `error: Cannot create ${project}/.rusty/build.lock: read-only file system (EROFS).`,
      `hint: ${project}/.rusty/build.lock is on a read-only file system: remount it read-write, or work on a copy of the project in a writable folder.`,
    ])
    // Node's recursive mkdir reports this as ENOENT (nodejs/node#47098); the boundary tells the real cause.
    const build = await rusty(['build'], { cwd: project })
    assert.equal(build.exitCode, 1, build.all)
    assert.equal(errorLines(build.stderr)[0], `error: Cannot create ${project}/artifacts: read-only file system (EROFS).`)
    // publish builds first (into artifacts/): the same error, before any registry is asked.
    const publish = await rusty(['publish', '--registry', 'http://127.0.0.1:9/'], { cwd: project })
    assert.equal(publish.exitCode, 1, publish.all)
    assert.equal(errorLines(publish.stderr)[0], `error: Cannot create ${project}/artifacts: read-only file system (EROFS).`)
    assert.doesNotMatch(`${develop.stderr}${build.stderr}${publish.stderr}`, /This is a bug/)
    assert.ok((await greet()) !== undefined, 'the previous build imports')
  } finally {
    await execa('mount', ['-o', 'remount,rw', mount])
  }
})

test('develop --watch on a crate at the package root (what init makes from a crate) builds once, not on its own outputs', async () => {
  // The crate of the project above, alone, wrapped by rusty init ("crate": ".").
  const crate = path.join(tempDir(), 'rusty-e2e-faults-root')
  fs.cpSync(path.join(project, 'rust'), crate, { recursive: true })
  const manifest = path.join(crate, 'Cargo.toml')
  fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').replace(`name = "${name}"`, 'name = "rusty-e2e-faults-root"'))
  const init = await rusty(['init', '--backend', 'koffi', '--yes'], { cwd: crate })
  assert.equal(init.exitCode, 0, init.all)
  assert.equal(JSON.parse(fs.readFileSync(path.join(crate, 'package.json'), 'utf8')).rusty.crate, '.')
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(crate, 'node_modules'))

  const watcher = execa(process.execPath, [cliPath, 'develop', '--watch'], { cwd: crate, env: testEnv(), detached: true, reject: false, all: true })
  let output = ''
  watcher.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  const builds = () => output.match(/^◆ (Built|Up to date:) rusty-e2e-faults-root/gm)?.length ?? 0
  try {
    for (let i = 0; i < 1200 && !/Watching for changes/.test(output); i++) await new Promise((resolve) => setTimeout(resolve, 100))
    assert.match(output, /Watching for changes/)
    // The build wrote .rusty/, native/, dist/ and the lock's mtime refreshes: none of it may start a build.
    await new Promise((resolve) => setTimeout(resolve, 5000))
    assert.equal(builds(), 1, output)
    fs.appendFileSync(path.join(crate, 'src', 'lib.rs'), '\n// edited\n')
    for (let i = 0; i < 1200 && builds() < 2; i++) await new Promise((resolve) => setTimeout(resolve, 100))
    await new Promise((resolve) => setTimeout(resolve, 3000))
    assert.equal(builds(), 2, output)
  } finally {
    process.kill(-watcher.pid!, 'SIGINT')
  }
  const result = await watcher
  assert.equal(result.exitCode, 0, result.all)
})

test("rusty version edits a hand-written Cargo.toml (CRLF, a literal 'string'), says why when it cannot, and updates a workspace's Cargo.lock", async () => {
  const dir = path.join(tempDir(), 'rusty-e2e-faults-version')
  fs.cpSync(project, dir, { recursive: true, verbatimSymlinks: true, filter: (file) => !/[\\/](native|dist|\.rusty)$/.test(file) })
  const manifest = path.join(dir, 'rust', 'Cargo.toml')
  const original = fs.readFileSync(manifest, 'utf8')
  fs.writeFileSync(manifest, original.replace('version = "0.1.0"', "version = '0.1.0'  # ours").replaceAll('\n', '\r\n'))
  const bumped = await rusty(['version', '0.2.0'], { cwd: dir })
  assert.equal(bumped.exitCode, 0, bumped.all)
  const edited = fs.readFileSync(manifest, 'utf8')
  assert.equal(edited, original.replace('version = "0.1.0"', "version = '0.2.0'  # ours").replaceAll('\n', '\r\n'), 'only the version changed')
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version, '0.2.0')

  // The crate as a member of a workspace rooted at the package: its lockfile is the workspace's.
  fs.writeFileSync(manifest, original)
  fs.writeFileSync(path.join(dir, 'Cargo.toml'), '[workspace]\nmembers = ["rust"]\nresolver = "2"\n\n[workspace.package]\nversion = "0.2.0"\n')
  const locked = await execa('cargo', ['generate-lockfile', '--offline'], { cwd: dir, env: testEnv(), reject: false, all: true })
  assert.equal(locked.exitCode, 0, locked.all)
  const lockfile = path.join(dir, 'Cargo.lock')
  assert.match(fs.readFileSync(lockfile, 'utf8'), new RegExp(`name = "${name}"\\nversion = "0\\.1\\.0"`))
  const member = await rusty(['version', '0.3.0'], { cwd: dir })
  assert.equal(member.exitCode, 0, member.all)
  assert.match(fs.readFileSync(lockfile, 'utf8'), new RegExp(`name = "${name}"\\nversion = "0\\.3\\.0"`))
  assert.match(member.stderr, /Updated Cargo\.lock/)

  // Inherited from the workspace: the real reason, and nothing changed.
  fs.writeFileSync(manifest, original.replace('version = "0.1.0"', 'version.workspace = true'))
  const before = fs.readFileSync(path.join(dir, 'package.json'), 'utf8')
  const inherited = await rusty(['version', '0.4.0'], { cwd: dir })
  assert.equal(inherited.exitCode, 1, inherited.all)
  assert.deepEqual(errorLines(inherited.stderr), [
    `error: Cannot set the version in ${manifest}: the crate inherits it from its workspace (version.workspace = true).`,
    "hint: Set the version in [workspace.package] of the workspace's Cargo.toml and in package.json.",
  ])
  assert.equal(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'), before)
})
