/** The experiment being built in the lab's builder, autosaved as the user edits (one per lab). */
import type { Migration } from './types'

export const drafts: Migration = {
  id: '2026-12-02-drafts',
  up: `
    CREATE TABLE drafts (
      id             TEXT PRIMARY KEY,
      text           TEXT NOT NULL,
      experiment_id  TEXT,
      origin         TEXT NOT NULL,
      layout_json    TEXT NOT NULL,
      updated_at     TEXT NOT NULL
    );
  `
}
