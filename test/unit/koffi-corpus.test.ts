// Regression corpus: every C header of cbindgen's own test expectations
// (test/fixtures/cbindgen, MPL-2.0) either generates bindings that import
// with real koffi types, or is refused with a message naming an item.
// Never "generated, then fails to import".
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { RustyError } from '../../src/errors.js'
import { parseHeader } from '../../src/backends/koffi/header.js'
import { UndecidableConditionError } from '../../src/backends/koffi/preprocess.js'
import { generateBindings, UnsupportedDeclarationError } from '../../src/backends/koffi/bindings.js'
import { repoRoot } from '../helpers.js'
import { importWithStubLibrary } from '../koffi-harness.js'

const corpus = path.join(repoRoot, 'test/fixtures/cbindgen')
const headers = fs.readdirSync(corpus).filter((file) => file.endsWith('.c')).sort()

/**
 * cbindgen's test-only preamble and trailer (`#if 0 ''' ' ... #endif` blocks,
 * and the `#if defined(CBINDGEN_STYLE_TYPE)` blocks among them, which wrap
 * the header for Cython), which a user's header does not have.
 */
function stripPreamble(text: string): string {
  return text.replace(/^(#if 0|#if defined\(CBINDGEN_STYLE_TYPE\))\n[\s\S]*?\n#endif$\n?/gm, '')
}

type Outcome = { kind: 'binds'; exports: number } | { kind: 'refused'; names: string[]; message: string }

async function classify(text: string): Promise<Outcome> {
  let js: string
  try {
    js = generateBindings(parseHeader(stripPreamble(text)), { libraryFile: 'libcorpus.so', packageName: 'corpus', crateName: 'corpus' }).js
  } catch (error) {
    if (error instanceof UnsupportedDeclarationError) return { kind: 'refused', names: error.items.map((item) => item.name), message: error.message }
    if (error instanceof UndecidableConditionError) return { kind: 'refused', names: error.items, message: error.message }
    if (error instanceof RustyError) return { kind: 'refused', names: [...error.message.matchAll(/`(\w+)`/g)].map((m) => m[1]!), message: error.message }
    throw error
  }
  const lib = await importWithStubLibrary(js)
  return { kind: 'binds', exports: Object.keys(lib).length }
}

test(`the ${headers.length} cbindgen expectation headers: bindings that import, or a refusal naming an item`, async (t) => {
  assert.ok(headers.length > 100, `the corpus is in place (${headers.length} headers)`)
  const counts = { binds: 0, refused: 0 }
  const failures: string[] = []
  for (const file of headers) {
    const text = fs.readFileSync(path.join(corpus, file), 'utf8')
    try {
      const outcome = await classify(text)
      counts[outcome.kind]++
      if (process.env.RUSTY_CORPUS_VERBOSE) console.log(file, outcome.kind === 'binds' ? `binds ${outcome.exports}` : outcome.message.split('\n').slice(0, 3).join(' | ').slice(0, 300))
      if (outcome.kind === 'refused') {
        const named = outcome.names.filter((name) => name && text.includes(name))
        if (named.length === 0) failures.push(`${file}: refused without naming an item of the header: ${outcome.message}`)
      }
    } catch (error) {
      failures.push(`${file}: ${(error as Error).stack?.split('\n').slice(0, 2).join(' ') ?? String(error)}`)
    }
  }
  // Wrong: generated bindings that do not import, or a refusal naming no item of the header.
  t.diagnostic(`cbindgen corpus: ${headers.length} headers, ${counts.binds} generate bindings that import with koffi, ${counts.refused} refused naming the item`)
  console.log(`cbindgen corpus: ${headers.length} headers: ${counts.binds} bound / ${counts.refused} refused / ${failures.length} wrong`)
  assert.deepEqual(failures, [])
})
