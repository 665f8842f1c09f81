/**
 * The experiment being edited in the Run view: its text, where it came from
 * (a bundled example, a local file, typing), the seed override, and the live
 * validation of the text (debounced, stale replies dropped).
 */
import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import { useLabApi } from '../api'
import { decodeExperimentBytes, formatBytes, LIMITS, textTooLarge, type CommandOutput, type Issue } from '../api/shared'
import { describeError } from '../util/errors'


export type Example = CommandOutput<'examples:list'>[number]
export type Validation = CommandOutput<'experiments:validate'>

export interface ExperimentOrigin {
  kind: 'example' | 'file' | 'run'
  /** Example name, file name, or the run the text was taken from. */
  name: string
  /** The text as loaded, to tell whether it has been edited since. */
  text: string
}

const VALIDATE_DELAY_MS = 300

export const useExperimentStore = defineStore('experiment', () => {
  const api = useLabApi()

  const examples = ref<Example[]>([])
  /** The bundled examples have arrived (the picker waits for them rather than open an empty list). */
  const examplesLoaded = ref(false)
  const examplesError = ref<string | null>(null)
  const selectedExampleId = ref<string | null>(null)

  const text = ref('')
  const origin = ref<ExperimentOrigin | null>(null)
  const seed = ref<number | null>(null)

  const validation = ref<Validation | null>(null)
  const validating = ref(false)
  /** The validation call itself failed (not the experiment). */
  const validationError = ref<string | null>(null)
  /** Problems with loading a file. */
  const loadError = ref<string | null>(null)

  const modified = computed(() => origin.value !== null && origin.value.text !== text.value)
  const issues = computed<Issue[]>(() => validation.value?.issues ?? [])
  const isEmpty = computed(() => text.value.trim() === '')
  /** Over the size an experiment may have: said here, never sent (it would be refused anyway). */
  const tooLarge = computed(() => textTooLarge(text.value))

  let sequence = 0
  let timer: ReturnType<typeof setTimeout> | null = null

  async function validateNow(): Promise<void> {
    if (timer !== null) clearTimeout(timer)
    timer = null
    const mine = ++sequence
    if (isEmpty.value) {
      validation.value = null
      validationError.value = null
      validating.value = false
      return
    }
    if (tooLarge.value) {
      validation.value = { ok: false, issues: [tooLarge.value], name: null, vms: [] }
      validationError.value = null
      validating.value = false
      return
    }
    validating.value = true
    try {
      const result = await api.experiments.validate({ text: text.value })
      if (mine !== sequence) return
      validation.value = result
      validationError.value = null
    } catch (error) {
      if (mine !== sequence) return
      validation.value = null
      validationError.value = describeError(error).message
    } finally {
      if (mine === sequence) validating.value = false
    }
  }

  watch(text, () => {
    if (timer !== null) clearTimeout(timer)
    validating.value = !isEmpty.value
    timer = setTimeout(() => void validateNow(), VALIDATE_DELAY_MS)
  })

  async function loadExamples(): Promise<void> {
    try {
      examples.value = await api.examples.list({})
      examplesLoaded.value = true
      examplesError.value = null
    } catch (error) {
      examplesError.value = describeError(error).message
    }
  }

  function selectExample(id: string): void {
    const example = examples.value.find((e) => e.id === id)
    if (!example) return
    selectedExampleId.value = id
    loadError.value = null
    origin.value = { kind: 'example', name: example.name, text: example.text }
    text.value = example.text
  }

  function loadText(kind: ExperimentOrigin['kind'], name: string, content: string): void {
    selectedExampleId.value = null
    loadError.value = null
    origin.value = { kind, name, text: content }
    text.value = content
  }

  async function loadFile(file: File): Promise<void> {
    if (file.size > LIMITS.textBytes) {
      loadError.value = `${file.name} is too large: ${formatBytes(file.size)}; an experiment may be at most ${formatBytes(LIMITS.textBytes)}.`
      return
    }
    try {
      // The same rule as the CLI: a UTF-16 or binary file is named as such, not parsed as garbage.
      const decoded = decodeExperimentBytes(new Uint8Array(await file.arrayBuffer()))
      if (!decoded.ok) {
        loadError.value = `${file.name}: ${decoded.message}.`
        return
      }
      loadText('file', file.name, decoded.text)
    } catch (error) {
      loadError.value = `Could not read ${file.name}: ${describeError(error).message}`
    }
  }

  return {
    examples,
    examplesLoaded,
    examplesError,
    selectedExampleId,
    text,
    origin,
    seed,
    validation,
    validating,
    validationError,
    loadError,
    modified,
    issues,
    isEmpty,
    tooLarge,
    validateNow,
    loadExamples,
    selectExample,
    loadText,
    loadFile
  }
})
