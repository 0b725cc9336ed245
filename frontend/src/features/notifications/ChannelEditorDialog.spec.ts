import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { fakeApi, freshPinia, jsonResponse, mountWithPrime } from '@/test/helpers'
import ChannelEditorDialog from './ChannelEditorDialog.vue'

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

const KEY = 'generated-signing-key-0123456789abcdef'
const CREATED = {
  id: 'c1',
  name: 'soc',
  kind: 'webhook',
  target_display: 'https://hooks.example.net',
  has_hmac_secret: true,
  digest_minutes: null,
  enabled: true,
  from_environment: false,
  created_at: '2026-01-01T10:00:00Z',
  hmac_secret: KEY,
}

async function openNew() {
  vi.stubGlobal('matchMedia', () => ({ matches: false, addEventListener() {}, removeEventListener() {} }))
  const wrapper = mountWithPrime(ChannelEditorDialog, freshPinia(), {
    props: { visible: false, channel: null },
    attachTo: document.body,
  })
  await wrapper.setProps({ visible: true })
  await flushPromises()
  return wrapper
}

function type(selector: string, value: string): void {
  const input = document.querySelector<HTMLInputElement>(selector)!
  input.value = value
  input.dispatchEvent(new Event('input'))
}

function button(label: string): HTMLButtonElement {
  return [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === label)!
}

describe('ChannelEditorDialog', () => {
  it('creates a webhook and shows its generated signing key once', async () => {
    const calls = fakeApi({
      'POST /api/notifications/channels': () => jsonResponse(CREATED, 201),
      'GET /api/notifications/channels': () => jsonResponse([CREATED]),
    })
    const wrapper = await openNew()
    button('Webhook').click()
    await flushPromises()
    type('#channel-name', 'soc')
    type('#channel-url', 'https://hooks.example.net/in')
    document.querySelector('form')!.dispatchEvent(new Event('submit'))
    await flushPromises()

    expect(calls[0]).toEqual({
      call: 'POST /api/notifications/channels',
      body: {
        name: 'soc',
        kind: 'webhook',
        url: 'https://hooks.example.net/in',
        hmac_secret: null,
        digest_minutes: null,
        enabled: true,
      },
    })
    const field = document.querySelector<HTMLInputElement>('[data-test="signing-key"]')!
    expect(field.value).toBe(KEY)
    expect(field.readOnly).toBe(true)
    expect(document.body.textContent).toContain('shown only once')

    await wrapper.setProps({ visible: false })
    await wrapper.setProps({ visible: true })
    await flushPromises()
    expect(document.querySelector('[data-test="signing-key"]')).toBeNull()
    expect(document.body.textContent).not.toContain(KEY)
  })

  it('shows the API refusal naming the field', async () => {
    fakeApi({
      'POST /api/notifications/channels': () =>
        jsonResponse({ error: "url: 'slak://' is not a scheme Apprise knows", detail: null }, 422),
    })
    await openNew()
    type('#channel-name', 'team')
    type('#channel-url', 'slak://a/b')
    document.querySelector('form')!.dispatchEvent(new Event('submit'))
    await flushPromises()
    expect(document.querySelector('[role="alert"]')!.textContent).toContain("url: 'slak://' is not a scheme Apprise knows")
  })
})
