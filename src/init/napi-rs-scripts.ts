/** One package.json script init changed, for the report. */
export interface ScriptChange {
  script: string
  from: string
  /** The new command; undefined when the script was removed. */
  to?: string
  why: string
}

/**
 * What one `napi <command>` step of a script becomes under rusty
 * (@napi-rs/cli v2/v3 commands): `napi build` writes its own loader over
 * rusty's, so it becomes `rusty develop` (`--release` kept); `napi
 * prepublish`, `napi version`, `napi artifacts`, `napi universal` and
 * `napi create-npm-dirs(s)` manage the platform packages, which `rusty
 * publish` stages itself, so the step is dropped. Undefined for anything
 * else.
 */
function rustyStep(step: string): { to?: string; why: string } | undefined {
  const words = step.trim().split(/\s+/)
  if (words[0] !== 'napi' && !(words[0] === 'npx' && words[1] === 'napi')) return undefined
  const [command, ...args] = words[0] === 'napi' ? words.slice(1) : words.slice(2)
  if (command === 'build') {
    return { to: args.includes('--release') || args.includes('-r') ? 'rusty develop --release' : 'rusty develop', why: "napi build writes its own loader over rusty's" }
  }
  if (command && ['prepublish', 'version', 'artifacts', 'universal', 'create-npm-dirs', 'create-npm-dir'].includes(command)) {
    return { why: `rusty publish makes the platform packages; napi ${command} would fail or undo that` }
  }
  return undefined
}

/**
 * The package's scripts with napi-rs's own commands replaced by rusty's
 * (see {@link rustyStep}); a script of several `&&` steps keeps its other
 * steps, and a script left with none is removed.
 *
 * @returns the new scripts (same order) and one change per script touched
 */
export function replaceNapiRsScripts(scripts: Readonly<Record<string, string>>): { scripts: Record<string, string>; changes: ScriptChange[] } {
  const next: Record<string, string> = {}
  const changes: ScriptChange[] = []
  for (const [script, from] of Object.entries(scripts)) {
    if (typeof from !== 'string') {
      next[script] = from
      continue
    }
    const steps = from.split('&&')
    const replaced = steps.map((step) => ({ step, rusty: rustyStep(step) }))
    const touched = replaced.filter((s) => s.rusty)
    if (touched.length === 0) {
      next[script] = from
      continue
    }
    const kept = replaced.flatMap(({ step, rusty }) => (!rusty ? [step.trim()] : rusty.to ? [rusty.to] : []))
    const to = kept.length > 0 ? kept.join(' && ') : undefined
    if (to !== undefined) next[script] = to
    changes.push({ script, from, to, why: touched.map((s) => s.rusty!.why).join('; ') })
  }
  return { scripts: next, changes }
}
