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
  stop(): Promise<void>
}

/**
 * Starts verdaccio in this process: no uplinks (only what the tests publish
 * is there), anyone may read, a logged-in user may publish. Creates a user
 * through the registry's own API (`PUT /-/user/org.couchdb.user:<name>`).
 */
export async function startRegistry(): Promise<TestRegistry> {
  const dir = tempDir('rusty-registry-')
  const app = await runServer({
    self_path: dir,
    storage: path.join(dir, 'storage'),
    auth: { htpasswd: { file: path.join(dir, 'htpasswd'), max_users: 100 } },
    uplinks: {},
    packages: { '**': { access: '$all', publish: '$authenticated', unpublish: '$authenticated' } },
    log: { type: 'stdout', format: 'pretty', level: 'fatal' },
  } as never)
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  const port = (server.address() as AddressInfo).port
  const url = `http://127.0.0.1:${port}/`
  const response = await fetch(`${url}-/user/org.couchdb.user:rusty-tester`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'rusty-tester', password: 'a-test-password-1' }),
  })
  const { token } = (await response.json()) as { token: string }
  if (!token) throw new Error(`verdaccio created no user (HTTP ${response.status})`)
  fs.writeFileSync(path.join(dir, 'ready'), url)
  return {
    url,
    token,
    npmrc: (scope, auth = true) => `${scope}:registry=${url}\n${auth ? `//127.0.0.1:${port}/:_authToken=${token}\n` : ''}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
