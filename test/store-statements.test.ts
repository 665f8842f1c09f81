/**
 * A store's connection reuses the statements it compiled: the same SQL text
 * gives the same statement, in its default modes whatever the last caller
 * switched on, and a statement still being iterated is not handed out again.
 */
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { reuseStatements } from '../src/main/store/statements'

describe('reused statements', () => {
  let db: Database.Database
  beforeEach(() => {
    db = new Database(':memory:')
    db.exec('CREATE TABLE t (a INTEGER, b TEXT)')
    reuseStatements(db)
    const insert = db.prepare('INSERT INTO t (a, b) VALUES (?, ?)')
    for (let i = 1; i <= 3; i++) insert.run(i, `row ${i}`)
  })
  afterEach(() => db.close())

  it('gives the same statement for the same SQL text, and another for another text', () => {
    const sql = 'SELECT a, b FROM t ORDER BY a'
    expect(db.prepare(sql)).toBe(db.prepare(sql))
    expect(db.prepare('SELECT a FROM t')).not.toBe(db.prepare(sql))
  })

  it('hands a reused statement out in its default modes', () => {
    const sql = 'SELECT a, b FROM t ORDER BY a'
    expect(db.prepare(sql).pluck().all()).toEqual([1, 2, 3])
    expect(db.prepare(sql).all()).toEqual([
      { a: 1, b: 'row 1' },
      { a: 2, b: 'row 2' },
      { a: 3, b: 'row 3' }
    ])
    expect(db.prepare(sql).raw().get()).toEqual([1, 'row 1'])
    expect(db.prepare(sql).get()).toEqual({ a: 1, b: 'row 1' })
  })

  it('compiles a new statement while the kept one is being iterated', () => {
    const sql = 'SELECT a FROM t ORDER BY a'
    const outer = db.prepare(sql)
    const seen: number[][] = []
    for (const row of outer.iterate() as IterableIterator<{ a: number }>) {
      const inner = db.prepare(sql)
      expect(inner).not.toBe(outer)
      seen.push((inner.all() as { a: number }[]).map((r) => r.a + row.a))
    }
    expect(seen).toEqual([
      [2, 3, 4],
      [3, 4, 5],
      [4, 5, 6]
    ])
    expect(db.prepare(sql)).toBe(outer)
  })

  it('keeps write statements working across reuses', () => {
    const update = 'UPDATE t SET b = ? WHERE a = ?'
    expect(db.prepare(update).run('x', 1).changes).toBe(1)
    expect(db.prepare(update).run('y', 2).changes).toBe(1)
    expect(db.prepare('SELECT b FROM t ORDER BY a').pluck().all()).toEqual(['x', 'y', 'row 3'])
  })
})
