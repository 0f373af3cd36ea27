/**
 * The project's `.gitignore` with rusty's lines (`template`, from
 * templates/common/_gitignore) appended under a comment, each pattern only
 * when the file lacks it (`/target`, `target` and `target/` count as one);
 * undefined when nothing is missing, so a second run adds nothing.
 */
export function appendGitignore(existing: string, template: string): string | undefined {
  const key = (line: string) => line.trim().replace(/^\//, '').replace(/\/$/, '')
  const present = new Set(existing.split(/\r?\n/).map(key))
  const missing = template.split('\n').filter((line) => line.trim() && !line.startsWith('#') && !present.has(key(line)))
  if (missing.length === 0) return undefined
  const newline = existing.includes('\r\n') ? '\r\n' : '\n'
  const base = existing === '' || existing.endsWith('\n') ? existing : `${existing}${newline}`
  return `${base}${base ? newline : ''}# Added by rusty init: built by \`rusty develop\` / \`rusty build\`${newline}${missing.join(newline)}${newline}`
}
