/**
 * Renderer entry: connect to the lab (Electron bridge or WebSocket), install
 * the one LabApi, and mount the app.
 */
import './zodConfig'
import { createPinia } from 'pinia'
import { createApp } from 'vue'
import { connectLab, createLabApi, installLabApi } from './api'
import HyperlabApp from './HyperlabApp.vue'
import { useConnectionStore } from './stores/connection'
import './styles/app.css'

const connection = connectLab(window)
installLabApi(createLabApi(connection))

const pinia = createPinia()
const app = createApp(HyperlabApp)
app.use(pinia)
useConnectionStore(pinia).track(connection)
app.mount('#app')

window.addEventListener('beforeunload', () => connection.close())
