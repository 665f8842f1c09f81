/**
 * Light or dark: the user's choice, remembered in this browser profile;
 * until chosen, the system's preference. The choice is applied to <html> as
 * `data-theme`, which the app's CSS variables and the editor follow.
 */
import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'

const KEY = 'hyperlab-theme'
type Theme = 'light' | 'dark'

function initial(): Theme {
  try {
    const saved = localStorage.getItem(KEY)
    if (saved === 'light' || saved === 'dark') return saved
  } catch {
    // Storage can be unavailable (a locked-down profile): the system preference decides.
  }
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark'
}

export const useThemeStore = defineStore('theme', () => {
  const theme = ref<Theme>(initial())
  const dark = computed(() => theme.value === 'dark')

  function apply(t: Theme): void {
    document.documentElement.dataset.theme = t
  }
  apply(theme.value)
  watch(theme, (t) => {
    apply(t)
    try {
      localStorage.setItem(KEY, t)
    } catch {
      // Not remembered; still applied.
    }
  })

  function toggle(): void {
    theme.value = dark.value ? 'light' : 'dark'
  }

  return { theme, dark, toggle }
})
