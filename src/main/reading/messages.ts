/**
 * What the reader's thread answers: the issues in full, and of an accepted
 * experiment the fields the main thread uses (the engine thread that runs it
 * parses the whole experiment again).
 */
import { z } from 'zod'
import { issueSchema } from '../../shared/errors'

export const readOutcomeSchema = z.discriminatedUnion('ok', [
  z.strictObject({
    ok: z.literal(true),
    experiment: z.looseObject({
      name: z.string(),
      seed: z.number(),
      duration_s: z.number(),
      vms: z.array(z.looseObject({ id: z.string() }))
    })
  }),
  z.strictObject({ ok: z.literal(false), issues: z.array(issueSchema) })
])
