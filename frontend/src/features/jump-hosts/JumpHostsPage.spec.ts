import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Role } from '@/api/types'
import { useAuthStore } from '@/stores/auth'
import { freshPinia, jsonResponse, mockFetch, mountWithPrime } from '@/test/helpers'
import JumpHostsPage from './JumpHostsPage.vue'

const BASTION = {
  id: 'j1',
  name: 'bastion-1',
  address: '10.0.0.5',
  port: 22,
  credential: { id: 'c1', name: 'jump' },
  host_key: { key_type: 'ssh-ed25519', fingerprint: 'SHA256:abc', public_key: 'ssh-ed25519 AAAA' },
  devices: ['core-sw-01', 'core-sw-02'],
  tags: ['dmz'],
  created_at: '2026-01-01T10:00:00Z',
}

async function mountAs(role: Role) {
  mockFetch(jsonResponse([BASTION]))
  const pinia = freshPinia()
  useAuthStore(pinia).user = { id: 'u1', username: role, role }
  const wrapper = mountWithPrime(JumpHostsPage, pinia, {
    global: { directives: { tooltip: {} }, stubs: { JumpHostEditorDialog: true, ConfirmDeleteDialog: true } },
  })
  await flushPromises()
  return wrapper
}

afterEach(() => vi.unstubAllGlobals())

describe('JumpHostsPage', () => {
  it('shows a viewer the bastions, their pinned keys and what uses them, read-only', async () => {
    const wrapper = await mountAs('viewer')
    const row = wrapper.get('tbody tr').text()
    expect(row).toContain('10.0.0.5:22')
    expect(row).toContain('SHA256:abc')
    expect(row).toContain('2 devices and tags dmz')
    expect(wrapper.findAll('button').map((b) => b.attributes('aria-label') ?? b.text())).toEqual(['Refresh'])
  })

  it('gives an admin new, edit and delete', async () => {
    const wrapper = await mountAs('admin')
    const labels = wrapper.findAll('button').map((b) => b.attributes('aria-label') ?? b.text())
    expect(labels).toEqual(expect.arrayContaining(['New jump host', 'Edit bastion-1', 'Delete bastion-1']))
  })
})
