// Configs as files: one version of a device's config (or extra output), or every config as it was
// at a point in time (.tar.gz). The server names the file; `saveFile` hands it to the browser.
import { requestFile, type DownloadedFile } from './client'

const enc = encodeURIComponent

export const downloadsApi = {
  /** `commit`: a commit id or `latest`; `output`: one of the driver's extra outputs, null for the config. */
  configVersion: (deviceId: string, commit: string, output: string | null = null) =>
    requestFile(`/devices/${enc(deviceId)}/configs/${enc(commit)}/download`, { output }),
  /** The whole tree at `at` (an ISO time), or now. */
  archive: (at: string | null = null) => requestFile('/configs/archive', { at }),
}

/** Save a downloaded file under its name: a link to its bytes, clicked once. */
export function saveFile({ blob, filename }: DownloadedFile): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  document.body.append(link)
  link.click()
  link.remove()
  // the browser reads the bytes when the download starts, after this task
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
