/**
 * Exporting a report of one run or of a comparison: which runs, in which
 * format (and for CSV which table and series), a preview of what will be
 * saved, and the save itself — a download in a browser, the desktop app's
 * save dialog in Electron (`reports:save`).
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { useLabApi } from '../api'
import { SAMPLE_SERIES, type CsvTable, type ReportFormat, type SampleSeriesKey } from '../api/shared'
import { describeError } from '../util/errors'
import { useAppStore } from './app'

/** Lines of a CSV or JSON file the preview shows. */
const PREVIEW_LINES = 200

export interface ReportPreview {
  kind: 'document' | 'text'
  /** The HTML of the report, or the first lines of the file. */
  content: string
  fileName: string
  /** Size of the file; null for a PDF, known only once printed. */
  bytes: number | null
  /** Lines left out of a text preview. */
  moreLines: number
}

export const useReportStore = defineStore('report', () => {
  const api = useLabApi()
  const app = useAppStore()

  const open = ref(false)
  const runIds = ref<string[]>([])
  const title = ref('')
  const format = ref<ReportFormat>('html')
  const csvTable = ref<CsvTable>('summary')
  const series = ref<SampleSeriesKey[]>([...SAMPLE_SERIES])
  const preview = ref<ReportPreview | null>(null)
  const previewing = ref(false)
  const previewError = ref<string | null>(null)
  const saving = ref(false)
  const saveError = ref<string | null>(null)
  const savedNote = ref<string | null>(null)

  const desktop = computed(() => app.info?.mode === 'desktop')
  const isComparison = computed(() => runIds.value.length > 1)
  const canSave = computed(() => !saving.value && runIds.value.length > 0 && (format.value !== 'csv' || csvTable.value !== 'samples' || series.value.length > 0))

  let sequence = 0

  function request() {
    return {
      run_ids: runIds.value,
      format: format.value,
      ...(format.value === 'csv' ? { csv_table: csvTable.value } : {}),
      ...(format.value === 'csv' && csvTable.value === 'samples' ? { series: series.value } : {})
    }
  }

  /** The preview of the current choice: the report document for HTML and PDF, the file's first lines for CSV and JSON. */
  async function refreshPreview(): Promise<void> {
    const mine = ++sequence
    previewing.value = true
    previewError.value = null
    try {
      const asDocument = format.value === 'html' || format.value === 'pdf'
      if (!asDocument && csvTable.value === 'samples' && format.value === 'csv' && series.value.length === 0) {
        preview.value = null
        return
      }
      const file = await api.reports.render(asDocument ? { run_ids: runIds.value, format: 'html' } : request())
      if (mine !== sequence) return
      if (asDocument) {
        const pdf = format.value === 'pdf'
        preview.value = {
          kind: 'document',
          content: file.content,
          fileName: pdf ? file.file_name.replace(/\.html$/, '.pdf') : file.file_name,
          bytes: pdf ? null : file.bytes,
          moreLines: 0
        }
      } else {
        const lines = file.content.split(/\r?\n/)
        preview.value = {
          kind: 'text',
          content: lines.slice(0, PREVIEW_LINES).join('\n'),
          fileName: file.file_name,
          bytes: file.bytes,
          moreLines: Math.max(0, lines.length - PREVIEW_LINES - 1)
        }
      }
    } catch (error) {
      if (mine === sequence) {
        preview.value = null
        previewError.value = describeError(error).message
      }
    } finally {
      if (mine === sequence) previewing.value = false
    }
  }

  function openFor(ids: string[], what: string): void {
    runIds.value = [...ids]
    title.value = what
    if (ids.length < 2 && csvTable.value === 'deltas') csvTable.value = 'summary'
    savedNote.value = null
    saveError.value = null
    open.value = true
    void refreshPreview()
  }

  function close(): void {
    open.value = false
    sequence++
    preview.value = null
  }

  function setFormat(next: ReportFormat): void {
    format.value = next
    savedNote.value = null
    void refreshPreview()
  }

  function setCsvTable(next: CsvTable): void {
    csvTable.value = next
    if (format.value === 'csv') void refreshPreview()
  }

  function setSeries(next: SampleSeriesKey[]): void {
    series.value = SAMPLE_SERIES.filter((s) => next.includes(s))
    if (format.value === 'csv' && csvTable.value === 'samples') void refreshPreview()
  }

  /** Hands the file to the browser as a download. */
  function download(fileName: string, mime: string, content: string, encoding: 'utf8' | 'base64'): void {
    const data = encoding === 'base64' ? Uint8Array.from(atob(content), (c) => c.charCodeAt(0)) : content
    const url = URL.createObjectURL(new Blob([data], { type: mime }))
    const a = document.createElement('a')
    a.href = url
    a.download = fileName
    a.rel = 'noopener'
    document.body.appendChild(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(url), 60_000)
  }

  async function save(): Promise<void> {
    if (!canSave.value) return
    saving.value = true
    saveError.value = null
    savedNote.value = null
    try {
      if (desktop.value) {
        const reply = await api.reports.save(request())
        savedNote.value = reply.saved ? `Saved to ${reply.path}` : null
      } else {
        const file = await api.reports.render(request())
        download(file.file_name, file.mime, file.content, file.encoding)
        savedNote.value = `Downloaded ${file.file_name}`
      }
    } catch (error) {
      saveError.value = describeError(error).message
    } finally {
      saving.value = false
    }
  }

  return {
    open,
    runIds,
    title,
    format,
    csvTable,
    series,
    preview,
    previewing,
    previewError,
    saving,
    saveError,
    savedNote,
    desktop,
    isComparison,
    canSave,
    openFor,
    close,
    setFormat,
    setCsvTable,
    setSeries,
    refreshPreview,
    save
  }
})
