import fs from 'node:fs'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { runServer } from 'verdaccio'
import { tempDir } from './helpers.js'

/** A real npm registry (verdaccio) on 127.0.0.1 with an ephemeral port and temporary storage. */
export interface TestRegistry {
  /** `http://127.0.0.1:<port>/` */
  url: string
  /** A user's token, for an npmrc `//127.0.0.1:<port>/:_authToken=<token>` line. */
  token: string
  /** npmrc text sending `@scope` to this registry, with the token unless `auth` is false. */
  npmrc(scope: string, auth?: boolean): string
  /** npmrc text sending every package to this registry, with the token (use with an `uplink`). */
  npmrcAll(): string
  /** Creates another user (password `a-test-password-1`) and returns its token. */
  addUser(name: string): Promise<string>
  stop(): Promise<void>
}

/**
 * Starts verdaccio in this process: anyone may read, a logged-in user may
 * publish. Creates a user through the registry's own API
 * (`PUT /-/user/org.couchdb.user:<name>`).
 *
 * Without `uplink`, only what the tests publish is there. With
 * `uplink: <registry url>` (e.g. the output of `npm config get registry`),
 * every other package is proxied from it, so a whole `npm install` can point
 * at this registry; a name that exists upstream cannot be published here.
 * With `unref`, the server does not keep the process alive. `packages`
 * adds verdaccio package rules before the catch-all one (e.g.
 * `{ '@s/name': { access: '$all', publish: 'someone' } }`: only that user
 * may publish that name).
 */
export async function startRegistry(options: { uplink?: string; unref?: boolean; packages?: Record<string, object> } = {}): Promise<TestRegistry> {
  const dir = tempDir('rusty-registry-')
  const proxy = options.uplink ? { proxy: 'upstream' } : {}
  const app = await runServer({
    self_path: dir,
    storage: path.join(dir, 'storage'),
    auth: { htpasswd: { file: path.join(dir, 'htpasswd'), max_users: 100 } },
    uplinks: options.uplink ? { upstream: { url: options.uplink, timeout: '60s', maxage: '30m' } } : {},
    packages: { ...options.packages, '**': { access: '$all', publish: '$authenticated', unpublish: '$authenticated', ...proxy } },
    log: { type: 'stdout', format: 'pretty', level: 'fatal' },
  } as never)
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  // A registry shared by a whole test file must not keep its process alive.
  if (options.unref) server.unref()
  const port = (server.address() as AddressInfo).port
  const url = `http://127.0.0.1:${port}/`
  const addUser = async (name: string): Promise<string> => {
    const response = await fetch(`${url}-/user/org.couchdb.user:${name}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, password: 'a-test-password-1' }),
    })
    const { token } = (await response.json()) as { token: string }
    if (!token) throw new Error(`verdaccio created no user ${name} (HTTP ${response.status})`)
    return token
  }
  const token = await addUser('rusty-tester')
  fs.writeFileSync(path.join(dir, 'ready'), url)
  return {
    url,
    token,
    npmrc: (scope, auth = true) => `${scope}:registry=${url}\n${auth ? `//127.0.0.1:${port}/:_authToken=${token}\n` : ''}`,
    npmrcAll: () => `registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\n`,
    addUser,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

/**
 * Packs the package in `packageDir` (`npm pack`, which runs its `prepack` /
 * `prepare` scripts as `npm publish` would) and publishes the tarball to
 * `registry` as the test user (`ignoreScripts` skips those scripts, for a
 * package whose build is already done). Returns the tarball's path.
 */
export async function publishToRegistry(registry: TestRegistry, packageDir: string, options: { ignoreScripts?: boolean } = {}): Promise<string> {
  const { execa } = await import('execa')
  const out = tempDir('rusty-pack-')
  const scripts = options.ignoreScripts ? ['--ignore-scripts'] : []
  const { stdout } = await execa('npm', ['pack', '--json', ...scripts, '--pack-destination', out], { cwd: packageDir, stdin: 'ignore' })
  const [packed] = JSON.parse(stdout) as { filename: string }[]
  const tarball = path.join(out, packed!.filename)
  const npmrc = path.join(out, '.npmrc')
  fs.writeFileSync(npmrc, registry.npmrcAll())
  await execa('npm', ['publish', tarball, '--registry', registry.url, '--userconfig', npmrc], { cwd: out, stdin: 'ignore' })
  return tarball
}
