import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ApiToken } from '@/api/apiTokens'
import { useAuthStore } from '@/stores/auth'
import { fakeApi, freshPinia, jsonResponse, mountWithPrime } from '@/test/helpers'
import TokensPage from './TokensPage.vue'

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

const FUTURE = new Date(Date.now() + 86_400_000).toISOString()
const SCRIPT: ApiToken = {
  id: 'k1', name: 'nightly-export', role: 'viewer', prefix: 'nrt_AbCdEfGh', owner_id: 'u1', owner_username: 'bob',
  created_at: '2026-01-01T00:00:00Z', expires_at: FUTURE, last_used_at: '2026-01-02T00:00:00Z',
  last_used_address: '10.0.0.7', revoked_at: null,
}
const OLD: ApiToken = { ...SCRIPT, id: 'k2', name: 'old-script', last_used_at: null, revoked_at: '2026-01-03T00:00:00Z' }
const ALICES: ApiToken = { ...SCRIPT, id: 'k3', name: 'alices-script', owner_id: 'u2', owner_username: 'alice' }

function mountPage(role: 'viewer' | 'admin', answers: Record<string, () => Response>) {
  // PrimeVue's Select asks matchMedia, which jsdom lacks.
  vi.stubGlobal('matchMedia', () => ({ matches: false, addEventListener() {}, removeEventListener() {} }))
  const calls = fakeApi(answers)
  const pinia = freshPinia()
  useAuthStore(pinia).user = { id: 'u1', username: 'bob', role }
  const wrapper = mountWithPrime(TokensPage, pinia, { attachTo: document.body })
  return { wrapper, calls }
}

describe('TokensPage', () => {
  it('lists tokens with their prefix, state and last use, and offers no revoke for a revoked one', async () => {
    const { wrapper } = mountPage('viewer', { 'GET /api/tokens': () => jsonResponse([SCRIPT, OLD]) })
    await flushPromises()
    const rows = wrapper.findAll('tbody tr').map((r) => r.text())
    expect(rows[0]).toMatch(/nightly-export\s*nrt_AbCdEfGh….*viewer.*active.*from 10\.0\.0\.7/)
    expect(rows[1]).toMatch(/old-script.*revoked.*never/)
    expect(wrapper.find('[aria-label="Revoke nightly-export"]').exists()).toBe(true)
    expect(wrapper.find('[aria-label="Revoke old-script"]').exists()).toBe(false)
    expect(wrapper.text()).not.toContain("Show every user's tokens")
  })

  it("shows an admin everyone's tokens with their owner on request", async () => {
    const { wrapper, calls } = mountPage('admin', {
      'GET /api/tokens': () => jsonResponse([SCRIPT]),
      'GET /api/tokens?all=true': () => jsonResponse([SCRIPT, ALICES]),
    })
    await flushPromises()
    expect(wrapper.find('thead').text()).not.toContain('Owner')
    await wrapper.get('#tokens-everyone').setValue(true)
    await flushPromises()
    expect(calls.map((c) => c.call)).toEqual(['GET /api/tokens', 'GET /api/tokens?all=true'])
    expect(wrapper.find('thead').text()).toContain('Owner')
    expect(wrapper.findAll('tbody tr')[1]!.text()).toContain('alice')
  })

  it('revokes after a confirmation and shows the token as revoked', async () => {
    let revoked = false
    const { wrapper, calls } = mountPage('viewer', {
      'GET /api/tokens': () => jsonResponse([revoked ? { ...SCRIPT, revoked_at: '2026-01-04T00:00:00Z' } : SCRIPT]),
      'DELETE /api/tokens/k1': () => {
        revoked = true
        return new Response(null, { status: 204 })
      },
    })
    await flushPromises()
    await wrapper.get('[aria-label="Revoke nightly-export"]').trigger('click')
    await flushPromises()
    expect(document.body.textContent).toContain('stops working at once')
    expect(calls.map((c) => c.call)).toEqual(['GET /api/tokens'])
    const dialog = document.querySelector('[role="dialog"]')!
    const confirm = [...dialog.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Revoke')!
    confirm.click()
    await flushPromises()
    expect(calls.map((c) => c.call)).toEqual(['GET /api/tokens', 'DELETE /api/tokens/k1', 'GET /api/tokens'])
    expect(wrapper.findAll('tbody tr')[0]!.text()).toContain('revoked')
  })
})
