import { createPinia } from 'pinia'
import PrimeVue from 'primevue/config'
import ToastService from 'primevue/toastservice'
import Tooltip from 'primevue/tooltip'
import { createApp } from 'vue'
import App from './App.vue'
import { cspNonce } from './cspNonce'
import { installColorScheme } from './layout/colorScheme'
import { createAppRouter } from './router'
import { primeVueOptions } from './theme'
import './styles.css'

installColorScheme()

const app = createApp(App)
const pinia = createPinia()

app.use(pinia)
app.use(createAppRouter(pinia))
app.use(PrimeVue, { ...primeVueOptions, csp: { nonce: cspNonce() } })
app.use(ToastService)
app.directive('tooltip', Tooltip)

app.mount('#app')
