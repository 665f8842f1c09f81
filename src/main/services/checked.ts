/** Experiment text read and checked on the reader's thread, or a LabError carrying every issue. */
import { LabError } from '../../shared/errors'
import type { Experiment } from '../../shared/experiment'
import type { ExperimentReader } from '../reading/reader'

export async function requireExperiment(reader: ExperimentReader, text: string): Promise<Experiment> {
  const parsed = await reader.read(text)
  if (!parsed.ok) {
    const first = parsed.issues[0]
    const summary = first ? `${first.path}: ${first.message}` : 'invalid experiment'
    const more = parsed.issues.length > 1 ? ` (and ${parsed.issues.length - 1} more)` : ''
    throw new LabError('invalid-experiment', `${summary}${more}`, parsed.issues)
  }
  return parsed.experiment
}
