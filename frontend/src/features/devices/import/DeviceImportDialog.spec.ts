import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import type { Role } from '@/api/types'
import { useAuthStore } from '@/stores/auth'
import { freshPinia, jsonResponse, mockFetch, openDialog, paste } from '@/test/helpers'
import DeviceImportDialog from './DeviceImportDialog.vue'
import { detectFormat, importBody } from './importSource'

const CSV = 'hostname,ip_address,device_type\nedge-01,10.0.0.1,cisco_ios\nedge-02,not-an-ip,cisco_ios\n'
const REPORT = {
  created: 1,
  failed: 1,
  rows: [
    { row: 1, hostname: 'edge-01', status: 'created', error: null },
    { row: 2, hostname: 'edge-02', status: 'failed', error: 'ip_address: value is not a valid IP address' },
  ],
}

const platforms = () =>
  jsonResponse({
    platforms: [
      { platform: 'acme_os', description: '', source: 'local', netmiko_device_type: 'cisco_ios', input: 'cli' },
      { platform: 'cisco_ios', description: '', source: 'built-in', netmiko_device_type: 'cisco_ios', input: 'cli' },
    ],
    errors: [],
  })

function openAs(role: Role = 'operator') {
  const pinia = freshPinia()
  useAuthStore(pinia).user = { id: 'u1', username: role, role }
  return openDialog(DeviceImportDialog, pinia)
}

async function clickImport(): Promise<void> {
  const button = [...document.querySelectorAll('button')].find((b) => b.textContent?.includes('Import'))!
  button.click()
  await flushPromises()
}

afterEach(() => {
  document.body.innerHTML = ''
})

describe('DeviceImportDialog', () => {
  it('sends pasted CSV as CSV and shows the report row by row', async () => {
    const fetchMock = mockFetch(platforms(), jsonResponse(REPORT))
    const wrapper = await openAs()
    await paste(CSV)
    await clickImport()

    const [url, init] = fetchMock.mock.calls[1]!
    expect(url).toBe('/api/devices/import')
    expect(new Headers(init?.headers).get('Content-Type')).toBe('text/csv')
    expect(init?.body).toBe(CSV)

    const report = document.querySelector('[data-test="import-report"]')!
    expect(report.querySelector('[data-test="import-summary"]')!.textContent).toBe('1 created, 1 failed')
    const rows = [...report.querySelectorAll('tbody tr')].map((tr) => tr.textContent)
    expect(rows[0]).toContain('edge-01')
    expect(rows[0]).toContain('Created')
    expect(rows[1]).toContain('Failed')
    expect(rows[1]).toContain('ip_address: value is not a valid IP address')
    expect(wrapper.emitted('imported')?.[0]).toEqual([REPORT])
  })

  it('says why nothing was imported when the server refuses the whole body', async () => {
    mockFetch(platforms(), jsonResponse({ error: 'the CSV header must name the columns ...', detail: null }, 422))
    const wrapper = await openAs()
    await paste('name,ip\nx,y\n')
    await clickImport()
    expect(document.querySelector('[role="alert"]')!.textContent).toContain(
      'Nothing was imported: the CSV header must name the columns',
    )
    expect(wrapper.emitted('imported')).toBeUndefined()
  })

  it('tells an admin, and only an admin, about the host_key column', async () => {
    mockFetch()
    await openAs('operator')
    expect(document.querySelector('[data-test="import-host-key-hint"]')).toBeNull()
    document.body.innerHTML = ''
    await openAs('admin')
    expect(document.querySelector('[data-test="import-host-key-hint"]')!.textContent).toContain('host_key')
  })

  it('asks for rows before sending an empty import', async () => {
    const fetchMock = mockFetch()
    await openAs()
    await clickImport()
    expect(document.querySelector('[role="alert"]')!.textContent).toContain('Choose a file or paste')
    expect(fetchMock.mock.calls.map(([url]) => url)).toEqual(['/api/platforms'])
  })

  it('names the platforms a device_type may be, local drivers marked', async () => {
    mockFetch(platforms())
    await openAs()
    expect(document.querySelector('[data-test="import-platforms"]')!.textContent).toContain(
      'acme_os (local), cisco_ios',
    )
  })
})

describe('import source', () => {
  it('tells JSON from CSV by the file name, else by the text', () => {
    expect(detectFormat('{}', 'devices.csv')).toBe('text/csv')
    expect(detectFormat('hostname', 'DEVICES.JSON')).toBe('application/json')
    expect(detectFormat('  [{"hostname": "a"}]')).toBe('application/json')
    expect(detectFormat('hostname,ip_address')).toBe('text/csv')
  })

  it('wraps a bare JSON list the way the API wants it', () => {
    expect(JSON.parse(importBody('[{"hostname":"a"}]', 'application/json'))).toEqual({ devices: [{ hostname: 'a' }] })
    expect(importBody('{"devices": []}', 'application/json')).toBe('{"devices": []}')
    expect(importBody('not json', 'application/json')).toBe('not json')
  })
})
