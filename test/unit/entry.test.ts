// The process entry (bin/rusty.js → src/main.ts): `--version`, the help
// pages and commands given no arguments are answered without the parser, and
// do exactly what commander would; everything else reaches the parser. Runs the built CLI (npm test
// builds it first).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { execa } from 'execa'
import { createProgram } from '../../src/cli.js'
import { bareCommandFor, recordBareCommands, type BareCommands } from '../../src/bare-commands.js'
import { helpPageFor, renderHelpPages, type HelpPages } from '../../src/help-pages.js'
import { repoRoot, tempDir } from '../helpers.js'

const bin = path.join(repoRoot, 'bin', 'rusty.js')
const version = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version

test('rusty --version and -V print package.json version, as commander would', async () => {
  for (const flag of ['--version', '-V']) {
    const result = await execa(process.execPath, [bin, flag])
    assert.equal(result.stdout, version)
    assert.equal(result.stderr, '')
  }
  assert.equal(createProgram().version(), version)
})

test('other arguments reach the parser: --help, a flag after --version, an unknown command', async () => {
  assert.match((await execa(process.execPath, [bin, '--help'])).stdout, /^Usage: rusty \[options\] \[command\]/)
  assert.equal((await execa(process.execPath, [bin, '--version', '--help'])).stdout, version)
  const unknown = await execa(process.execPath, [bin, 'nope'], { reject: false })
  assert.equal(unknown.exitCode, 1)
  assert.match(unknown.stderr, /unknown command 'nope'/)
})

/** What commander prints for `rusty <name> --help` on stdout `width` columns wide (80: not a terminal). */
function commanderHelp(name: string, width: number): string {
  const program = createProgram()
  const command = name === '' ? program : program.commands.find((c) => c.name() === name)!
  command.configureOutput({ getOutHelpWidth: () => width })
  return command.helpInformation()
}

test('the prebuilt help pages are what commander prints, at every width they are used for', () => {
  const pages = renderHelpPages(createProgram())
  const names = ['', ...createProgram().commands.map((c) => c.name())]
  assert.deepEqual(Object.keys(pages.narrow), names)
  for (const name of names) {
    const asked = name === '' ? ['--help'] : [name, '--help']
    for (const width of [40, 79, 80, 81, 100, 120, 200, 400]) {
      const page = helpPageFor(pages, asked, width === 80 ? undefined : width)
      if (page !== undefined) assert.equal(page, commanderHelp(name, width), `${name || 'rusty'} --help at ${width} columns`)
    }
    // Some width gets the fast path: 80 (no terminal), and any terminal as wide as the longest line.
    assert.ok(helpPageFor(pages, asked, undefined))
    assert.ok(helpPageFor(pages, asked, 400))
  }
  // Names an Object has but the program does not: commander's "unknown command".
  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    assert.equal(helpPageFor(pages, ['help', name], undefined), undefined, name)
    assert.equal(helpPageFor(pages, [name, '--help'], 400), undefined, name)
  }
})

test('rusty --help, -h, help <command> from the built CLI: the same text, without a terminal', async () => {
  const built = JSON.parse(fs.readFileSync(path.join(repoRoot, 'dist', 'help.json'), 'utf8')) as HelpPages
  assert.deepEqual(built, renderHelpPages(createProgram()), 'dist/help.json is current (npm run build)')
  assert.equal((await execa(process.execPath, [bin, '--help'])).stdout, commanderHelp('', 80).trimEnd())
  assert.equal((await execa(process.execPath, [bin, 'help', 'develop'])).stdout, commanderHelp('develop', 80).trimEnd())
  assert.equal((await execa(process.execPath, [bin, 'new', '-h'])).stdout, commanderHelp('new', 80).trimEnd())
  // Not a help page it holds: commander answers (an unknown command's help is an error).
  const unknown = await execa(process.execPath, [bin, 'help', 'nope'], { reject: false })
  assert.notEqual(unknown.stdout, commanderHelp('', 80).trimEnd())
})

test('bare commands: what the parser hands each command run without arguments, recorded from the program', async () => {
  const bare = await recordBareCommands(createProgram)
  // `version` needs an argument and `ci` only groups `ci github`: commander answers those.
  assert.deepEqual(Object.keys(bare).sort(), ['build', 'develop', 'doctor', 'init', 'new', 'publish'])
  assert.deepEqual(bare.develop, { action: 'develop', options: { watch: false, cargoArgs: [], release: false, features: [], into: [] } })
  assert.deepEqual(bare.new, { action: 'newProject', options: { yes: false, interactive: true, git: true, dryRun: false } })
  assert.deepEqual(bare.publish, { action: 'publish', options: { dryRun: false, skipExisting: false, noBuild: false } })
  assert.deepEqual(bare.doctor, { action: 'doctor', options: {} })
  assert.equal(bareCommandFor(bare, ['develop']), bare.develop)
  for (const args of [[], ['develop', '--release'], ['version'], ['ci'], ['constructor'], ['__proto__'], ['--help']]) {
    assert.equal(bareCommandFor(bare, args), undefined, args.join(' '))
  }
  const built = JSON.parse(fs.readFileSync(path.join(repoRoot, 'dist', 'bare-commands.json'), 'utf8')) as BareCommands
  assert.deepEqual(built, bare, 'dist/bare-commands.json is current (npm run build)')
})

test('a bare command from the built CLI behaves as through the parser: same output, same exit code', async () => {
  // Outside any project: `rusty develop` (no parser) and `rusty develop --` (the
  // parser, same options) fail the same way; so do build and doctor's neighbours.
  const cwd = tempDir('rusty-bare-')
  for (const command of ['develop', 'build']) {
    const bare = await execa(process.execPath, [bin, command], { cwd, reject: false })
    const parsed = await execa(process.execPath, [bin, command, '--'], { cwd, reject: false })
    assert.equal(bare.exitCode, parsed.exitCode, command)
    assert.notEqual(bare.exitCode, 0, command)
    assert.equal(bare.stderr, parsed.stderr, command)
    assert.match(bare.stderr, /^error: /, command)
  }
})
