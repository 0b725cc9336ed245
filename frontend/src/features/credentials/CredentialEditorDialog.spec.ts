import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Credential } from '@/api/credentials'
import { fakeApi, freshPinia, jsonResponse, mountWithPrime, paste } from '@/test/helpers'
import CredentialEditorDialog from './CredentialEditorDialog.vue'

const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE=\n-----END OPENSSH PRIVATE KEY-----\n'
const SAVED: Credential = {
  id: 'c1',
  name: 'keyed',
  username: 'netops',
  priority: 100,
  tags: [],
  auth_methods: ['key'],
  private_key_type: 'ssh-ed25519',
  private_key_fingerprint: 'SHA256:abc',
  has_enable_secret: false,
  success_count: 0,
  failure_count: 0,
  last_success_at: null,
}

/** Mounted closed, then opened, as the page does: the dialog resets itself on opening. */
async function openEditor(): Promise<void> {
  const wrapper = mountWithPrime(CredentialEditorDialog, freshPinia(), {
    props: { visible: false, credential: null },
    attachTo: document.body,
  })
  await wrapper.setProps({ visible: true })
  await flushPromises()
}

async function type(id: string, text: string): Promise<void> {
  const input = document.getElementById(id) as HTMLInputElement
  input.value = text
  input.dispatchEvent(new Event('input'))
}

async function submit(): Promise<void> {
  document.querySelector('form')!.dispatchEvent(new Event('submit'))
  await new Promise((resolve) => setTimeout(resolve, 0))
}

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('CredentialEditorDialog', () => {
  it('creates a key-only credential from a pasted key and its passphrase', async () => {
    const calls = fakeApi({
      'GET /api/tags': () => jsonResponse([]),
      'POST /api/credentials': () => jsonResponse(SAVED, 201),
      'GET /api/credentials': () => jsonResponse([SAVED]),
    })
    await openEditor()
    await type('credential-name', 'keyed')
    await type('credential-username', 'netops')
    await paste(KEY)
    await type('credential-passphrase', 'unlock-me')
    await submit()
    const created = calls.find((c) => c.call === 'POST /api/credentials')
    expect(created?.body).toMatchObject({
      name: 'keyed',
      username: 'netops',
      private_key: KEY,
      private_key_passphrase: 'unlock-me',
    })
    expect(created?.body).not.toHaveProperty('password')
  })

  it('asks for a password or a key before sending anything', async () => {
    const calls = fakeApi({ 'GET /api/tags': () => jsonResponse([]) })
    await openEditor()
    await type('credential-name', 'empty')
    await type('credential-username', 'netops')
    await submit()
    expect(document.body.textContent).toContain('Enter a password, a private key, or both')
    expect(calls.map((c) => c.call)).toEqual(['GET /api/tags'])
  })
})
