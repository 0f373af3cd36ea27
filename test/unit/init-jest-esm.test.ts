// init's jest migration (src/init/jest-esm.ts): a project's jest with ts-jest
// runs in jest's ESM mode once the package is an ES module, through
// templates/jest-esm/jest.config.rusty.mjs, which is tested here as code.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { JEST_ESM_CONFIG, planJestEsm } from '../../src/init/jest-esm.js'
import { repoRoot, tempDir } from '../helpers.js'

const withTsJest = { name: 'p', scripts: { test: 'jest --coverage' }, devDependencies: { jest: '^29.7.0', 'ts-jest': '^29.3.1' } }
const has = (...files: string[]) => (file: string) => files.includes(file)

test('jest --coverage with ts-jest and a jest.config.js init renames: test:only runs jest in ESM mode with the wrapper config', () => {
  const change = planJestEsm(withTsJest, 'jest --coverage', has('jest.config.js'), ['jest.config.js'])
  assert.deepEqual(change, {
    script: 'test:only',
    from: 'jest --coverage',
    to: `node --experimental-vm-modules node_modules/jest/bin/jest.js --config ${JEST_ESM_CONFIG} --coverage`,
    why: `jest runs the tests as ES modules, as the package and its binding now are; ${JEST_ESM_CONFIG} loads jest.config.cjs with ts-jest's ESM output on`,
  })
  assert.equal(planJestEsm(withTsJest, 'npx jest', has('jest.config.cjs'), [])?.to, `node --experimental-vm-modules node_modules/jest/bin/jest.js --config ${JEST_ESM_CONFIG}`)
})

test('the jest migration leaves every other setup as it is', () => {
  const cases: [string, Record<string, unknown>, string | undefined, (f: string) => boolean, string[]][] = [
    ['already an ES module', { ...withTsJest, type: 'module' }, 'jest', has('jest.config.cjs'), []],
    ['not jest', withTsJest, 'vitest run', has('jest.config.cjs'), []],
    ['jest inside a longer command', withTsJest, 'tsc && jest', has('jest.config.cjs'), []],
    ['no ts-jest', { ...withTsJest, devDependencies: { jest: '^29' } }, 'jest', has('jest.config.cjs'), []],
    ['a test:only of its own', { ...withTsJest, scripts: { test: 'jest', 'test:only': 'jest -i' } }, 'jest', has('jest.config.cjs'), []],
    ['package.json "jest"', { ...withTsJest, jest: {} }, 'jest', () => false, []],
    ['no config file', withTsJest, 'jest', () => false, []],
    ['an ES module config', withTsJest, 'jest', has('jest.config.mjs'), []],
    ['two configs', withTsJest, 'jest', has('jest.config.js', 'jest.config.ts'), ['jest.config.js']],
    ['the wrapper name taken', withTsJest, 'jest', has('jest.config.cjs', JEST_ESM_CONFIG), []],
    ['no test command', withTsJest, undefined, has('jest.config.cjs'), []],
  ]
  for (const [why, pkg, command, exists, renamed] of cases) assert.equal(planJestEsm(pkg, command, exists, renamed), undefined, why)
})

/** Imports the wrapper from a temporary package next to a jest.config.cjs with `configSource`. */
async function wrapped(configSource: string): Promise<{ default: unknown; esm: (c: object) => object }> {
  const dir = tempDir()
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }))
  fs.writeFileSync(path.join(dir, 'jest.config.cjs'), configSource)
  fs.copyFileSync(path.join(repoRoot, 'templates', 'jest-esm', JEST_ESM_CONFIG), path.join(dir, JEST_ESM_CONFIG))
  return import(pathToFileURL(path.join(dir, JEST_ESM_CONFIG)).href)
}

test("the wrapper loads jest.config.cjs unchanged and turns on ts-jest's ESM output", async () => {
  const object = await wrapped(`module.exports = { testEnvironment: 'node', transform: { '^.+\\\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }], '^.+\\\\.js$': 'babel-jest' } }`)
  assert.deepEqual(object.default, {
    testEnvironment: 'node',
    extensionsToTreatAsEsm: ['.ts', '.tsx'],
    transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.jest.json', useESM: true }], '^.+\\.js$': 'babel-jest' },
  })
  // preset ts-jest becomes its ESM preset; no transform is added (an empty one would turn off babel-jest).
  assert.deepEqual(object.esm({ preset: 'ts-jest', extensionsToTreatAsEsm: ['.ts'] }), { preset: 'ts-jest/presets/default-esm', extensionsToTreatAsEsm: ['.ts', '.tsx'] })
  assert.deepEqual(object.esm({ transform: { x: 'ts-jest' } }), { extensionsToTreatAsEsm: ['.ts', '.tsx'], transform: { x: ['ts-jest', { useESM: true }] } })
  // A config that is an (async) function stays one.
  const fn = await wrapped(`module.exports = async () => ({ preset: 'ts-jest' })`)
  assert.equal(typeof fn.default, 'function')
  assert.deepEqual(await (fn.default as () => Promise<unknown>)(), { preset: 'ts-jest/presets/default-esm', extensionsToTreatAsEsm: ['.ts', '.tsx'] })
})
