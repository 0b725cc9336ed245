import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { DeviceHostKey } from '@/api/hostKeyTypes'
import type { Role } from '@/api/types'
import { useAuthStore } from '@/stores/auth'
import { makeDevice } from '@/test/fixtures'
import { fakeApi, freshPinia, jsonResponse, mountWithPrime } from '@/test/helpers'
import HostKeyCard from './HostKeyCard.vue'

const PINNED = 'SHA256:oldoldoldoldoldoldoldoldoldoldoldoldoldold'
const OFFERED = 'SHA256:newnewnewnewnewnewnewnewnewnewnewnewnewnew'
const CHANGED: DeviceHostKey = {
  status: 'changed',
  key_type: 'ssh-ed25519',
  fingerprint: PINNED,
  pinned_at: '2026-01-01T10:00:00Z',
  pinned_by: 'alice',
  public_key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIold',
  offered: { key_type: 'ssh-ed25519', fingerprint: OFFERED, seen_at: '2026-01-02T10:00:00Z' },
}
const device = (host_key: DeviceHostKey | null) => makeDevice({ host_key })

function mountAs(role: Role, hostKey: DeviceHostKey | null, answers: Record<string, () => Response> = {}) {
  const calls = fakeApi(answers)
  const pinia = freshPinia()
  useAuthStore(pinia).user = { id: 'u1', username: role, role }
  const wrapper = mountWithPrime(HostKeyCard, pinia, { props: { device: device(hostKey) }, attachTo: document.body })
  return { wrapper, calls }
}

const buttons = () => [...document.querySelectorAll('button')]
const button = (label: string) => buttons().find((b) => b.textContent?.trim() === label)

async function click(label: string): Promise<void> {
  button(label)!.click()
  await flushPromises()
}

afterEach(() => {
  document.body.innerHTML = ''
  vi.unstubAllGlobals()
})

describe('HostKeyCard', () => {
  it('shows a changed key prominently, both fingerprints, and no actions to an operator', () => {
    const { wrapper } = mountAs('operator', CHANGED)
    expect(wrapper.get('[data-status="changed"]').classes()).toContain('p-tag-danger')
    expect(wrapper.get('[data-test="host-key-notice"]').text()).toContain('someone may be between NetRaven and the device')
    expect(wrapper.get('[data-test="pinned-key"] [data-test="fingerprint"]').text()).toBe(PINNED)
    expect(wrapper.get('[data-test="pinned-key"]').text()).toContain('by alice')
    expect(wrapper.get('[data-test="pinned-key"] [data-test="public-key"]').text()).toBe('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIold')
    expect(wrapper.find('[data-test="offered-key"] [data-test="public-key"]').exists()).toBe(false)
    expect(wrapper.get('[data-test="offered-key"] [data-test="fingerprint"]').text()).toBe(OFFERED)
    expect(wrapper.get('[data-test="host-key-admin-note"]').text()).toBe('Only admins accept, pin or clear host keys.')
    expect(buttons().map((b) => b.textContent?.trim()).filter(Boolean)).toEqual([])
  })

  it('names a TLS certificate key as one and tells an admin how to check it with openssl', async () => {
    const certificate = { key_type: 'x509-spki', fingerprint: OFFERED, seen_at: '2026-01-02T10:00:00Z' }
    const { wrapper } = mountAs('admin', { ...CHANGED, key_type: 'x509-spki', public_key: null, offered: certificate })
    expect(wrapper.get('#host-key-heading').text()).toContain('TLS certificate key')
    expect(wrapper.get('[data-test="offered-key"]').text()).toContain('TLS certificate public key (x509-spki)')
    await click('Accept new key')
    const dialog = document.querySelector('[role="dialog"]')!
    expect(dialog.querySelector('[data-test="certificate-check"]')!.textContent).toContain('openssl s_client')
    expect(dialog.textContent).not.toContain('show ip ssh')
  })

  it('says what "not pinned" means when the api sends no key', () => {
    const { wrapper } = mountAs('viewer', null)
    expect(wrapper.get('[data-status="none"]').text()).toBe('Not pinned')
    expect(wrapper.get('[data-test="host-key-notice"]').text()).toContain('trust on first use')
    expect(wrapper.find('[data-test="pinned-key"]').exists()).toBe(false)
  })

  it('lets an admin accept the offered key after reading what to compare, sending its fingerprint', async () => {
    const { calls } = mountAs('admin', CHANGED, {
      'POST /api/devices/d1/host-key/accept': () => jsonResponse(device({ ...CHANGED, status: 'pinned', fingerprint: OFFERED, offered: null })),
    })
    await click('Accept new key')
    const dialog = document.querySelector('[role="dialog"]')!
    expect(dialog.textContent).toContain('show ip ssh')
    expect(dialog.textContent).toContain('ssh-keygen -lf')
    expect(dialog.querySelector('[data-test="accept-offered"]')!.textContent).toContain(OFFERED)
    await click('Accept this key')
    expect(calls).toEqual([{ call: 'POST /api/devices/d1/host-key/accept', body: { fingerprint: OFFERED } }])
    expect(document.querySelector('[role="dialog"]')).toBeNull()
  })

  it('keeps the accept dialog open with the reason when the device offered another key since', async () => {
    mountAs('admin', CHANGED, {
      'POST /api/devices/d1/host-key/accept': () =>
        jsonResponse({ error: 'the device offered another key since: reload', detail: null }, 409),
    })
    await click('Accept new key')
    await click('Accept this key')
    expect(document.querySelector('[data-test="confirm-error"]')!.textContent).toBe('the device offered another key since: reload')
  })

  it("pins a pasted key, showing the api's refusal of an invalid one", async () => {
    const { calls } = mountAs('admin', null, {
      'PUT /api/devices/d1/host-key': () =>
        jsonResponse({ error: 'not an OpenSSH public key: expected "type base64 [comment]"', detail: null }, 422),
    })
    expect(button('Accept new key')).toBeUndefined()
    expect(button('Clear')).toBeUndefined()
    await click('Pin a key…')
    const area = document.getElementById('pin-public-key') as HTMLTextAreaElement
    area.value = 'ssh-ed25519'
    area.dispatchEvent(new Event('input'))
    await click('Pin this key')
    expect(calls).toEqual([{ call: 'PUT /api/devices/d1/host-key', body: { public_key: 'ssh-ed25519' } }])
    expect(document.querySelector('[data-test="pin-error"]')!.textContent).toBe(
      'not an OpenSSH public key: expected "type base64 [comment]"',
    )
  })

  it('clears the pin only once confirmed', async () => {
    const { calls } = mountAs('admin', { ...CHANGED, status: 'pinned', offered: null }, {
      'DELETE /api/devices/d1/host-key': () => new Response(null, { status: 204 }),
    })
    await click('Clear')
    expect(calls).toEqual([])
    expect(document.querySelector('[role="dialog"]')!.textContent).toContain('forgets the pinned key of core-sw-01')
    const confirm = [...document.querySelectorAll('[role="dialog"] button')].find((b) => b.textContent?.trim() === 'Clear')!
    ;(confirm as HTMLButtonElement).click()
    await flushPromises()
    expect(calls.map((c) => c.call)).toEqual(['DELETE /api/devices/d1/host-key'])
  })
})
