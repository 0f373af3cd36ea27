import type { ScriptChange } from './napi-rs-scripts.js'

/** The config rusty init writes for jest's ESM mode (templates/jest-esm/): it loads `jest.config.cjs` and turns on ts-jest's ESM output. */
export const JEST_ESM_CONFIG = 'jest.config.rusty.mjs'

/** Every config file jest looks for at the package root (jest-config's `JEST_CONFIG_EXT_ORDER`), besides package.json's `"jest"`. */
const JEST_CONFIGS = ['jest.config.js', 'jest.config.ts', 'jest.config.mjs', 'jest.config.cjs', 'jest.config.cts', 'jest.config.json']

/** A test command that runs jest (`jest …`, `npx jest …`): its arguments, or undefined. */
function jestArguments(command: string): string | undefined {
  const match = /^\s*(?:npx\s+)?jest(?:\s+(.*))?$/.exec(command)
  return match ? (match[1] ?? '').trim() : undefined
}

/**
 * How the project's own jest tests keep running once init makes the package
 * an ES module, whose binding (`#native`, wasm's and every backend's wrapper)
 * is an ES module too: jest's default CommonJS mode cannot load it ("Cannot
 * use import statement outside a module"), and ts-jest compiles to CommonJS
 * unless told `useESM` (jestjs.io/docs/ecmascript-modules; ts-jest's "ESM
 * Support" guide). So the test command runs jest with Node's
 * `--experimental-vm-modules` (jest's documented command,
 * `node --experimental-vm-modules node_modules/jest/bin/jest.js`, which
 * works on Windows too) and `--config` {@link JEST_ESM_CONFIG}, which loads
 * the project's `jest.config.cjs` unchanged and adds ts-jest's ESM settings.
 *
 * Applies only when all hold: the package was not an ES module already
 * (then its jest setup is the user's), its test command is `jest …` or
 * `npx jest …` (and becomes `test:only`: there is no `test:only` yet), it depends on ts-jest, its one jest config is
 * `jest.config.cjs` after init's renames (`jest.config.js` renamed, or
 * already `.cjs`; no package.json `"jest"`), and {@link JEST_ESM_CONFIG} is
 * free. Anything else is left as it is.
 *
 * @param pkg the package.json as it was
 * @param testCommand the project's own test command (`ownTestCommand`), which becomes `test:only`
 * @param exists whether a file exists at the package root, before init
 * @param renamed the tool configs init renames to `.cjs` (their old names, `jest.config.js`)
 * @returns the `test:only` change (for the consent list and the report), or undefined
 */
export function planJestEsm(
  pkg: Readonly<Record<string, unknown>>,
  testCommand: string | undefined,
  exists: (file: string) => boolean,
  renamed: readonly string[],
): ScriptChange | undefined {
  const ownTestOnly = (pkg.scripts as Record<string, unknown> | undefined)?.['test:only']
  if (pkg.type === 'module' || testCommand === undefined || ownTestOnly !== undefined || pkg.jest !== undefined || exists(JEST_ESM_CONFIG)) return undefined
  const args = jestArguments(testCommand)
  if (args === undefined) return undefined
  const deps = { ...(pkg.dependencies as object | undefined), ...(pkg.devDependencies as object | undefined) }
  if (!('ts-jest' in deps)) return undefined
  const after = JEST_CONFIGS.filter((file) => (exists(file) && !renamed.includes(file)) || renamed.map((r) => r.replace(/\.js$/, '.cjs')).includes(file))
  if (after.length !== 1 || after[0] !== 'jest.config.cjs') return undefined
  return {
    script: 'test:only',
    from: testCommand,
    to: ['node --experimental-vm-modules node_modules/jest/bin/jest.js', '--config', JEST_ESM_CONFIG, ...(args ? [args] : [])].join(' '),
    why: `jest runs the tests as ES modules, as the package and its binding now are; ${JEST_ESM_CONFIG} loads jest.config.cjs with ts-jest's ESM output on`,
  }
}
