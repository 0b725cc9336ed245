import { ref, shallowRef, watch, type Ref } from 'vue'
import { ApiError } from '@/api/client'
import { errorText } from '@/api/errorText'

/**
 * State of a dialog that sends text chosen as a file or pasted (TextUploadInput): the text, the
 * file it came from, the call in flight, and its report or refusal; all cleared each time it opens.
 */
export function useTextUpload<Report>(visible: Ref<boolean>) {
  const text = ref('')
  const fileName = ref<string | null>(null)
  const report = shallowRef<Report | null>(null)
  const error = ref<string | null>(null)
  const importing = ref(false)

  watch(
    visible,
    (open) => {
      if (!open) return
      text.value = ''
      fileName.value = null
      report.value = null
      error.value = null
    },
    { immediate: true },
  )

  /**
   * Sends the text, unless it is blank, and keeps the report; a refusal reads `failed` (what was not
   * done), then the API's reason. Resolves to the report, or null when nothing was sent or it failed.
   */
  async function send(
    call: (text: string) => Promise<Report>,
    messages: { blank: string; failed: string },
  ): Promise<Report | null> {
    if (!text.value.trim()) {
      error.value = messages.blank
      return null
    }
    importing.value = true
    error.value = null
    report.value = null
    try {
      report.value = await call(text.value)
    } catch (err) {
      error.value = `${messages.failed}: ${err instanceof ApiError ? errorText(err) : String(err)}`
    } finally {
      importing.value = false
    }
    return report.value
  }

  return { text, fileName, report, error, importing, send }
}
