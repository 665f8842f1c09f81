/**
 * The hypervisors an experiment's hosts run, read from its stored text for
 * filtering the library. Stored text was checked when it was saved, so this
 * reads only what it needs and answers [] for anything it cannot read.
 */
import { parse } from 'yaml'
import { LIMITS } from '../../shared/limits'

export function hypervisorsOfText(text: string): string[] {
  let doc: unknown
  try {
    doc = parse(text, { maxAliasCount: LIMITS.yamlAliases })
  } catch {
    return []
  }
  const hosts = (doc as { hosts?: unknown } | null)?.hosts
  if (!Array.isArray(hosts)) return []
  return distinct(hosts.map((h) => (h as { hypervisor?: unknown } | null)?.hypervisor).filter((h): h is string => typeof h === 'string'))
}

/** Each hypervisor once, in the order of first use. */
export function distinct(ids: Iterable<string>): string[] {
  return [...new Set(ids)]
}
