// `rusty version`'s edit of Cargo.toml (setCargoVersion in src/commands/version.ts):
// every other byte kept, and the real reason when the version cannot be set.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { setCargoVersion } from '../../src/commands/version.js'

test('only the version changes: comments, CRLF line endings and the quotes of a literal string are kept', () => {
  const crlf = '# mine\r\n[package]\r\nname = "x"\r\nversion = "0.1.0" # bumped by rusty\r\n\r\n[dependencies]\r\nversion-check = "1"\r\n'
  assert.equal(setCargoVersion(crlf, '0.2.0'), crlf.replace('"0.1.0"', '"0.2.0"'))
  const literal = "[package]\nname = 'x'\nversion = '0.1.0'\n"
  assert.equal(setCargoVersion(literal, '1.0.0-beta.1'), "[package]\nname = 'x'\nversion = '1.0.0-beta.1'\n")
  const later = '[lib]\nversion = "9"\n[package]\nname = "x"\nversion="0.1.0"\n'
  assert.equal(setCargoVersion(later, '0.2.0'), later.replace('version="0.1.0"', 'version="0.2.0"'), 'only [package] is edited')
})

test('a crate without a version (Cargo 1.75+: 0.0.0, never published to crates.io) keeps none', () => {
  assert.equal(setCargoVersion('[package]\nname = "x"\nedition = "2024"\n', '0.2.0'), undefined)
})

test('when the version cannot be set, the message says why', () => {
  const cases: [string, RegExp][] = [
    ['[package]\nname = "x"\nversion.workspace = true\n', /inherits it from its workspace \(version\.workspace = true\)/],
    ['[package]\nname = "x"\nversion = { workspace = true }\n', /inherits it from its workspace/],
    ['[package]\nname = "x"\nversion = 1\n', /its version 1 is not a string/],
    ['package.name = "x"\npackage.version = "0.1.0"\n', /its version "0\.1\.0" is not on a line version = "\.\.\." of \[package\]/],
    ['[package]\nname = "x\n', /it is not valid TOML \(Invalid TOML document/],
  ]
  for (const [text, reason] of cases) assert.throws(() => setCargoVersion(text, '0.2.0', 'Cargo.toml'), reason, text)
})
