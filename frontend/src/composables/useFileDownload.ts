// Download a file from the API and save it, with a busy flag for the button and a toast when it fails.
import { useToast } from 'primevue/usetoast'
import { ref } from 'vue'
import { ApiError, type DownloadedFile } from '@/api/client'
import { saveFile } from '@/api/downloads'
import { errorText } from '@/api/errorText'

export function useFileDownload() {
  const toast = useToast()
  const busy = ref(false)

  /** `what` names the file in the failure message: "the configuration", "the archive". */
  async function download(fetchFile: () => Promise<DownloadedFile>, what: string): Promise<void> {
    busy.value = true
    try {
      saveFile(await fetchFile())
    } catch (err) {
      const detail = err instanceof ApiError ? errorText(err) : String(err)
      toast.add({ severity: 'error', summary: `Could not download ${what}`, detail, life: 8000 })
    } finally {
      busy.value = false
    }
  }

  return { busy, download }
}
