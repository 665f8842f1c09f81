/**
 * Catalog sections are looked up by names users type. A plain object would
 * answer `toString` or `__proto__` from its prototype; a section is therefore
 * made prototype-free, so only real ids resolve.
 */
export function byId<T extends object>(section: T): T {
  Object.setPrototypeOf(section, null)
  return section
}
