import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Role } from '@/api/types'
import { useAuthStore } from '@/stores/auth'
import { freshPinia, jsonResponse, mockFetch, mountWithPrime } from '@/test/helpers'
import CredentialsPage from './CredentialsPage.vue'

const LAB = {
  id: 'c1',
  name: 'lab',
  username: 'netraven',
  priority: 10,
  tags: ['lab'],
  auth_methods: ['password'],
  private_key_type: null,
  private_key_fingerprint: null,
  has_enable_secret: false,
  success_count: 4,
  failure_count: 0,
  last_success_at: null,
}

async function mountAs(role: Role, credentials: unknown[] = [LAB]) {
  mockFetch(jsonResponse(credentials))
  const pinia = freshPinia()
  useAuthStore(pinia).user = { id: 'u1', username: role, role }
  const wrapper = mountWithPrime(CredentialsPage, pinia, {
    global: { directives: { tooltip: {} }, stubs: { CredentialEditorDialog: true, ConfirmDeleteDialog: true } },
  })
  await flushPromises()
  return wrapper
}

afterEach(() => vi.unstubAllGlobals())

describe('CredentialsPage', () => {
  it('shows an operator the list read-only, saying who manages credentials', async () => {
    const wrapper = await mountAs('operator')
    expect(wrapper.get('tbody tr').text()).toContain('netraven')
    expect(wrapper.get('[data-test="credentials-read-only"]').text()).toBe(
      'Only admins manage credentials; devices use them through tags.',
    )
    expect(wrapper.findAll('button').map((b) => b.attributes('aria-label') ?? b.text())).toEqual(['Refresh'])
    expect(wrapper.findComponent({ name: 'CredentialEditorDialog' }).exists()).toBe(false)
  })

  it('offers no way to add the first credential to an operator', async () => {
    const wrapper = await mountAs('operator', [])
    expect(wrapper.text()).toContain('No credentials yet.')
    expect(wrapper.text()).not.toContain('Add the first credential')
  })

  it('shows what each credential logs in with, and the fingerprint of its key', async () => {
    const keyed = {
      ...LAB,
      id: 'c2',
      name: 'keyed',
      auth_methods: ['key', 'password'],
      private_key_type: 'ssh-ed25519',
      private_key_fingerprint: 'SHA256:zm7lVcfEcZmPQCphHDPlj4Jx2ULY185blIuZvlIRKbY',
    }
    const wrapper = await mountAs('operator', [LAB, keyed])
    expect(wrapper.findAll('[data-test="auth-methods"]').map((cell) => cell.text())).toEqual([
      'Password',
      'Key + Password',
    ])
    expect(wrapper.get('[data-test="key-fingerprint"]').text()).toBe(
      'ssh-ed25519 SHA256:zm7lVcfEcZmPQCphHDPlj4Jx2ULY185blIuZvlIRKbY',
    )
    expect(wrapper.text()).not.toContain('PRIVATE KEY')
  })

  it('gives an admin new, edit and delete, without the read-only note', async () => {
    const wrapper = await mountAs('admin')
    const labels = wrapper.findAll('button').map((b) => b.attributes('aria-label') ?? b.text())
    expect(labels).toEqual(expect.arrayContaining(['New credential', 'Edit lab', 'Delete lab']))
    expect(wrapper.find('[data-test="credentials-read-only"]').exists()).toBe(false)
  })
})
