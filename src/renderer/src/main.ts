/**
 * Renderer entry: connect to the lab (Electron bridge or WebSocket), install
 * the one LabApi, and mount the app with its router.
 */
import './zodConfig'
import { createPinia } from 'pinia'
import { createApp } from 'vue'
import { connectLab, createLabApi, installLabApi } from './api'
import HyperlabApp from './HyperlabApp.vue'
import { createLabRouter } from './router'
import { useBuilderStore } from './stores/builder'
import { useConnectionStore } from './stores/connection'
import './styles/app.css'

const connection = connectLab(window)
installLabApi(createLabApi(connection))

const pinia = createPinia()
const app = createApp(HyperlabApp)
app.use(pinia)
app.use(createLabRouter())
useConnectionStore(pinia).track(connection)
app.mount('#app')

window.addEventListener('beforeunload', () => {
  // An edit made in the last moments before a reload is still on its way to the draft: send it now.
  const builder = useBuilderStore(pinia)
  if (builder.autosaveState === 'pending') void builder.autosaveNow()
  connection.close()
})
