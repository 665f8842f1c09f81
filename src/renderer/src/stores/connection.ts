/** The state of the link to the lab (bridge or WebSocket), for the banner and the reload-on-reconnect logic. */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { ConnectionState, ConnectionStatus, LabConnection } from '../api'

export const useConnectionStore = defineStore('connection', () => {
  const kind = ref<LabConnection['kind']>('socket')
  const state = ref<ConnectionState>('connecting')
  const detail = ref('')
  /** Bumped every time the link (re)opens: watchers reload what they show. */
  const openCount = ref(0)

  const online = computed(() => state.value === 'open')

  function apply(status: ConnectionStatus): void {
    const wasOpen = state.value === 'open'
    state.value = status.state
    detail.value = status.detail
    if (status.state === 'open' && !wasOpen) openCount.value++
  }

  /** Follows a connection's status; returns the function that stops following. */
  function track(connection: LabConnection): () => void {
    kind.value = connection.kind
    apply(connection.status())
    return connection.onStatus(apply)
  }

  return { kind, state, detail, openCount, online, track }
})
