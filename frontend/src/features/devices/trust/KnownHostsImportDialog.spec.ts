import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import { freshPinia, jsonResponse, mockFetch, openDialog, paste } from '@/test/helpers'
import KnownHostsImportDialog from './KnownHostsImportDialog.vue'

const KNOWN_HOSTS = 'core-sw-01,10.0.0.2 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA\n[10.9.9.9]:2222 ssh-rsa AAAAB3\n'

async function clickPin(): Promise<void> {
  ;[...document.querySelectorAll('button')].find((b) => b.textContent?.includes('Pin keys'))!.click()
  await flushPromises()
}

afterEach(() => {
  document.body.innerHTML = ''
})

describe('KnownHostsImportDialog', () => {
  it('sends the pasted file and shows what was pinned and what matched no device', async () => {
    const fetchMock = mockFetch(
      jsonResponse({
        pinned: [{ device_id: 'd1', hostname: 'core-sw-01', fingerprint: 'SHA256:abcabc' }],
        unmatched: ['[10.9.9.9]:2222'],
      }),
    )
    await openDialog(KnownHostsImportDialog, freshPinia())
    await paste(KNOWN_HOSTS)
    await clickPin()

    const [url, init] = fetchMock.mock.calls[0]!
    expect([url, init?.method]).toEqual(['/api/devices/host-keys', 'POST'])
    expect(JSON.parse(String(init?.body))).toEqual({ known_hosts: KNOWN_HOSTS })
    const report = document.querySelector('[data-test="known-hosts-report"]')!
    expect(report.querySelector('[data-test="known-hosts-summary"]')!.textContent?.trim()).toBe('1 pinned, 1 unmatched')
    expect(report.querySelector('tbody tr')!.textContent).toContain('core-sw-01')
    expect(report.querySelector('tbody tr [data-test="fingerprint"]')!.textContent).toBe('SHA256:abcabc')
    expect(report.querySelector('[data-test="known-hosts-unmatched"] li')!.textContent).toBe('[10.9.9.9]:2222')
  })

  it('says nothing was pinned, with the line the api names, on a malformed file', async () => {
    mockFetch(jsonResponse({ error: 'known_hosts line 2: not a host key line', detail: null }, 422))
    await openDialog(KnownHostsImportDialog, freshPinia())
    await paste(KNOWN_HOSTS)
    await clickPin()
    expect(document.querySelector('[role="alert"]')!.textContent).toBe('Nothing was pinned: known_hosts line 2: not a host key line')
    expect(document.querySelector('[data-test="known-hosts-report"]')).toBeNull()
  })

  it('asks for a file before sending nothing', async () => {
    const fetchMock = mockFetch()
    await openDialog(KnownHostsImportDialog, freshPinia())
    await clickPin()
    expect(document.querySelector('[role="alert"]')!.textContent).toContain('Choose a known_hosts file or paste')
    expect(fetchMock).not.toHaveBeenCalled()
  })
})
