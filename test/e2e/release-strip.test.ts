// Release artifacts are stripped whatever the crate's own profile says:
// `rusty build` of the napi and koffi templates with `[profile.release]
// debug = true` and no `strip` (real cargo, the shared target dir) ships no
// `.debug_*` section and no `.symtab`, and prints the artifact's size.
import { before, test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import detectLibc from 'detect-libc'
import { readElfFile } from '../../src/util/elf.js'
import { installProject, rusty, tempDir } from '../helpers.js'

// The crate names of napi.test.ts and koffi.test.ts: their dependencies are in the shared target dir already.
const projects = { napi: 'rusty-e2e-napi', koffi: 'rusty-e2e-koffi' } as const
const cwd = tempDir()

before(async () => {
  for (const [backend, name] of Object.entries(projects)) {
    const created = await rusty(['new', name, '--backend', backend, '--yes', '--no-git', '--no-install'], { cwd })
    assert.equal(created.exitCode, 0, created.all)
    const project = path.join(cwd, name)
    // A profile that keeps everything: debug info, and the templates' `strip` taken out.
    const manifest = path.join(project, 'rust', 'Cargo.toml')
    const text = fs.readFileSync(manifest, 'utf8')
    assert.match(text, /^strip = "symbols"$/m)
    fs.writeFileSync(manifest, text.replace(/^strip = "symbols"$/m, 'debug = true'))
    // The glibc floor of this machine: this test is about stripping, not the
    // floor (a build linked here needs this machine's glibc unless built
    // through the cross toolchain).
    const pkgFile = path.join(project, 'package.json')
    const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'))
    pkg.rusty.glibc = detectLibc.versionSync()!.split('.').slice(0, 2).join('.')
    fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2))
    await installProject(project)
  }
})

for (const [backend, name] of Object.entries(projects)) {
  test(`${backend}: a release artifact has no debug sections and no symbol table, and rusty build prints its size`, async () => {
    const project = path.join(cwd, name)
    const built = await rusty(['build'], { cwd: project })
    assert.equal(built.exitCode, 0, built.all)
    const line = /Built (artifacts\/\S+) \((linux-x64-gnu), release, (\d+(?:\.\d)?) (KB|MB)\)/.exec(built.all)
    assert.ok(line, built.all)
    const artifact = path.join(project, line[1]!)
    const bytes = fs.statSync(artifact).size
    const shown = line[4] === 'KB' ? Math.round(bytes / 1024) : Number((bytes / 2 ** 20).toFixed(1))
    assert.equal(Number(line[3]), shown)
    const names = (await readElfFile(artifact)).sections.map((s) => s.name)
    assert.deepEqual(names.filter((n) => n.startsWith('.debug_') || n === '.symtab'), [], names.join(' '))
    assert.ok(names.includes('.dynsym'), 'the exported symbols stay')
    // A second build into another folder, with nothing changed (cargo and the
    // stamps fresh), still places the artifact there.
    const again = await rusty(['build', '--out', 'other'], { cwd: project })
    assert.equal(again.exitCode, 0, again.all)
    assert.ok(fs.readFileSync(path.join(project, 'other', path.basename(artifact))).equals(fs.readFileSync(artifact)), 'the same artifact in the other folder')
  })
}
