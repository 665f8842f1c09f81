/**
 * The About dialog's text: the app's version, the engine it runs on
 * (Electron with its Chromium, Node.js and V8), the file formats it reads
 * and writes, the system, and where its data lives. Everything a bug
 * report needs, in a form that can be copied as it is.
 */
import { EXPERIMENT_FORMAT } from '../../shared/experiment/schema'
import { RESULT_FORMAT } from '../../shared/result'

export interface AboutFacts {
  version: string
  /** process.versions of the running Electron. */
  versions: { electron?: string; chrome?: string; node?: string; v8?: string }
  platform: string
  arch: string
  dataPath: string
}

export function aboutText(facts: AboutFacts): { message: string; detail: string } {
  const { electron, chrome, node, v8 } = facts.versions
  const parts = [chrome && `Chromium ${chrome}`, node && `Node.js ${node}`, v8 && `V8 ${v8}`].filter(Boolean).join(', ')
  return {
    message: `Hyperlab ${facts.version}`,
    detail: [
      'A desktop lab for virtualization performance.',
      '',
      `Version: ${facts.version}`,
      `Engine: Electron ${electron ?? 'unknown'}${parts ? ` (${parts})` : ''}`,
      `Formats: ${EXPERIMENT_FORMAT}, ${RESULT_FORMAT}`,
      `System: ${facts.platform} ${facts.arch}`,
      `Data: ${facts.dataPath}`
    ].join('\n')
  }
}
