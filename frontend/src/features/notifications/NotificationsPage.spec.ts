import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { useAuthStore } from '@/stores/auth'
import { fakeApi, freshPinia, jsonResponse, mountWithPrime } from '@/test/helpers'
import NotificationsPage from './NotificationsPage.vue'

const CHANNEL = {
  id: 'c1',
  name: 'soc-webhook',
  kind: 'webhook',
  target_display: 'https://hooks.example.net',
  has_hmac_secret: true,
  digest_minutes: 15,
  enabled: true,
  from_environment: false,
  created_at: '2026-01-01T10:00:00Z',
}
const ENV_CHANNEL = { ...CHANNEL, id: 'c2', name: 'env-slack-1', kind: 'apprise', target_display: 'slack://', digest_minutes: null, from_environment: true }
const RULE = {
  id: 'r1',
  name: 'core failures',
  channel_id: 'c1',
  event_kinds: ['backup_failed', 'stale'],
  min_severity: 'warning',
  tags: ['core'],
  enabled: true,
  from_environment: false,
  created_at: '2026-01-01T10:00:00Z',
}

afterEach(() => vi.unstubAllGlobals())

async function mountPage(answers: Record<string, () => Response> = {}) {
  const calls = fakeApi({
    'GET /api/notifications/channels': () => jsonResponse([CHANNEL, ENV_CHANNEL]),
    'GET /api/notifications/rules': () => jsonResponse([RULE]),
    ...answers,
  })
  const pinia = freshPinia()
  useAuthStore(pinia).user = { id: 'u1', username: 'admin', role: 'admin' }
  const wrapper = mountWithPrime(NotificationsPage, pinia, {
    global: { stubs: { ChannelEditorDialog: true, RuleEditorDialog: true, ConfirmDeleteDialog: true } },
  })
  await flushPromises()
  return { wrapper, calls }
}

const labels = (wrapper: Awaited<ReturnType<typeof mountPage>>['wrapper']) =>
  wrapper.findAll('button').map((b) => b.attributes('aria-label') ?? b.text())

describe('NotificationsPage', () => {
  it('lists channels with their safe target, digest and env badge, and rules with their events', async () => {
    const { wrapper } = await mountPage()
    const channelRows = wrapper.findAll('section')[0]!.findAll('tbody tr').map((r) => r.text())
    expect(channelRows[0]).toContain('env-slack-1')
    expect(channelRows[0]).toContain('from environment')
    expect(channelRows[1]).toContain('https://hooks.example.net')
    expect(channelRows[1]).toContain('every 15 min')
    const rule = wrapper.findAll('section')[1]!.get('tbody tr').text()
    expect(rule).toContain('Backup failed, No recent backup (stale)')
    expect(rule).toContain('soc-webhook')
    expect(rule).toContain('warning')
  })

  it('offers no edit or delete on a channel from the environment', async () => {
    const { wrapper } = await mountPage()
    expect(labels(wrapper)).toEqual(
      expect.arrayContaining(['Edit soc-webhook', 'Delete soc-webhook', 'Send test env-slack-1']),
    )
    expect(labels(wrapper)).not.toContain('Edit env-slack-1')
    expect(labels(wrapper)).not.toContain('Delete env-slack-1')
  })

  it('shows why a test was not sent when no notifier answers', async () => {
    const { wrapper } = await mountPage({
      'POST /api/notifications/channels/c1/test': () =>
        jsonResponse({ error: 'no notifier answered within 15 s: is the notifier service running?', detail: null }, 503),
    })
    await wrapper.get('[aria-label="Send test soc-webhook"]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-test="test-result"]').text()).toContain(
      'Test through soc-webhook: no notifier answered within 15 s: is the notifier service running?',
    )
  })

  it('shows the channel answer of a test', async () => {
    const { wrapper } = await mountPage({
      'POST /api/notifications/channels/c1/test': () =>
        jsonResponse({ outcome: 'failed', delivery_id: 4, error: 'webhook answered 401 Unauthorized' }),
    })
    await wrapper.get('[aria-label="Send test soc-webhook"]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-test="test-result"]').text()).toContain('the channel refused it: webhook answered 401 Unauthorized')
  })

  it("opens a channel's delivery log, empty at first", async () => {
    const { wrapper, calls } = await mountPage({
      'GET /api/notifications/deliveries?channel_id=c1&limit=50': () => jsonResponse({ items: [], next_before: null }),
    })
    await wrapper.get('[aria-label="Delivery log soc-webhook"]').trigger('click')
    await flushPromises()
    expect(calls.map((c) => c.call)).toContain('GET /api/notifications/deliveries?channel_id=c1&limit=50')
    expect(wrapper.text()).toContain('Delivery log: soc-webhook')
    expect(wrapper.text()).toContain('Nothing sent through this channel yet.')
  })
})
