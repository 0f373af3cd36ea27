// Written by rusty init. The package is an ES module now ("type": "module"),
// and so is its Rust binding ('#native'), which jest loads only in its ESM mode
// (https://jestjs.io/docs/ecmascript-modules): the "test:only" script runs
// jest with --experimental-vm-modules and this config. It loads your config,
// jest.config.cjs, unchanged, and turns on ts-jest's ES module output
// (https://kulshekhar.github.io/ts-jest/docs/guides/esm-support): `useESM`
// on each ts-jest transform, the `default-esm` preset for `preset: 'ts-jest'`,
// and `.ts`/`.tsx` files treated as ES modules.
import own from './jest.config.cjs'

/** `config` (a jest config object) with ts-jest's ES module output on. */
export function esm(config) {
  const next = { ...config, extensionsToTreatAsEsm: [...new Set([...(config.extensionsToTreatAsEsm ?? []), '.ts', '.tsx'])] }
  if (config.preset === 'ts-jest') next.preset = 'ts-jest/presets/default-esm'
  // Only a transform the config names: an empty one would turn off jest's default (babel-jest).
  if (config.transform) {
    next.transform = Object.fromEntries(
      Object.entries(config.transform).map(([pattern, entry]) => {
        const [transformer, options] = Array.isArray(entry) ? entry : [entry, {}]
        return [pattern, transformer === 'ts-jest' ? [transformer, { ...options, useESM: true }] : entry]
      }),
    )
  }
  return next
}

// jest also takes a function (sync or async) that returns the config.
export default typeof own === 'function' ? async () => esm(await own()) : esm(own)
