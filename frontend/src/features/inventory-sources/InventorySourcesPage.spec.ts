import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { useAuthStore } from '@/stores/auth'
import { freshPinia, jsonResponse, mockFetch, mountWithPrime } from '@/test/helpers'
import InventorySourcesPage from './InventorySourcesPage.vue'
import SyncReportDialog from './SyncReportDialog.vue'

const COUNTS = { adopted: 2, updated: 1, orphaned: 1, skipped: 0, unchanged: 4 }
const SOURCE = {
  id: 's1',
  name: 'netbox-main',
  kind: 'netbox',
  url: 'https://netbox.example.net',
  verify_tls: true,
  filters: { site: ['dc1'], role: [], tag: [], status: [] },
  platform_map: { ios: 'cisco_ios' },
  default_platform: null,
  tag_fields: ['site'],
  credential_tag: null,
  devices: 8,
  orphaned: 1,
  last_sync_at: '2026-12-06T10:00:00Z',
  last_summary: COUNTS,
  last_error: null,
  created_at: '2026-12-01T10:00:00Z',
}
const REPORT = {
  source_id: 's1',
  dry_run: true,
  counts: COUNTS,
  adopt: [],
  update: [],
  orphan: [],
  skipped: [],
}

async function mountPage(...responses: Response[]) {
  const fetchMock = mockFetch(jsonResponse([SOURCE]), ...responses)
  const pinia = freshPinia()
  useAuthStore(pinia).user = { id: 'u1', username: 'admin', role: 'admin' }
  const wrapper = mountWithPrime(InventorySourcesPage, pinia, {
    global: {
      directives: { tooltip: {} },
      stubs: { SourceEditorDialog: true, SyncReportDialog: true, ConfirmDeleteDialog: true },
    },
  })
  await flushPromises()
  return { wrapper, fetchMock }
}

function button(wrapper: Awaited<ReturnType<typeof mountPage>>['wrapper'], label: string) {
  return wrapper.findAll('button').find((b) => (b.attributes('aria-label') ?? b.text()) === label)
}

afterEach(() => vi.unstubAllGlobals())

describe('InventorySourcesPage', () => {
  it('lists each source with its devices, orphans and last sync', async () => {
    const { wrapper } = await mountPage()
    const row = wrapper.get('tbody tr').text()
    expect(row).toContain('netbox-main')
    expect(row).toContain('NetBox')
    expect(row).toContain('8 (1 orphaned)')
    expect(row).toContain('2 adopted, 1 updated, 1 orphaned, 0 skipped, 4 unchanged')
  })

  it('previews a sync without writing and shows the report', async () => {
    const { wrapper, fetchMock } = await mountPage(jsonResponse(REPORT))
    await button(wrapper, 'Preview netbox-main')!.trigger('click')
    await flushPromises()
    expect(String(fetchMock.mock.calls[1]![0])).toContain('/inventory-sources/s1/preview')
    const dialog = wrapper.findComponent(SyncReportDialog)
    expect(dialog.props('report')).toEqual(REPORT)
    expect(dialog.props('sourceName')).toBe('netbox-main')
  })

  it('shows why a sync failed', async () => {
    const refused = jsonResponse({ error: "inventory source 'netbox-main' refused the token (403)" }, 502)
    const { wrapper } = await mountPage(refused, jsonResponse([SOURCE]))
    await button(wrapper, 'Sync now netbox-main')!.trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-test="sync-error"]').text()).toContain('refused the token')
  })
})
