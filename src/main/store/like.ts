/** Ids looked up by their first characters, as the CLI shows them: a LIKE pattern that takes them literally. */

/** `prefix` for a LIKE … ESCAPE '\\' pattern: its wildcards taken literally. */
export function likePrefix(prefix: string): string {
  return prefix.replace(/[\\%_]/g, (c) => `\\${c}`)
}
