import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { useAuthStore } from '@/stores/auth'
import { freshPinia, jsonResponse, mockFetch, mountWithPrime } from '@/test/helpers'
import UsersPage from './UsersPage.vue'

const toast = vi.hoisted(() => ({ add: vi.fn() }))
vi.mock('primevue/usetoast', () => ({ useToast: () => toast }))

afterEach(() => {
  vi.unstubAllGlobals()
  toast.add.mockReset()
})

const admin = { id: 'u1', username: 'admin', role: 'admin', is_active: true, created_at: '2026-01-01T00:00:00Z' }
const bob = { id: 'u2', username: 'bob', role: 'viewer', is_active: true, created_at: '2026-01-02T00:00:00Z' }

function mountPage(...responses: Response[]) {
  // PrimeVue's Select asks matchMedia, which jsdom lacks.
  vi.stubGlobal('matchMedia', () => ({ matches: false, addEventListener() {}, removeEventListener() {} }))
  const fetchMock = mockFetch(jsonResponse([admin, bob]), ...responses)
  const pinia = freshPinia()
  useAuthStore(pinia).user = { id: 'u1', username: 'admin', role: 'admin' }
  const wrapper = mountWithPrime(UsersPage, pinia, {
    global: {
      stubs: { UserCreateDialog: true, PasswordResetDialog: true },
    },
  })
  return { wrapper, fetchMock }
}

describe('UsersPage', () => {
  it('lists users with their status and marks the signed-in one', async () => {
    const { wrapper } = mountPage()
    await flushPromises()
    const rows = wrapper.findAll('tbody tr')
    expect(rows.map((r) => r.text())).toEqual([
      expect.stringMatching(/admin\s*you.*active/),
      expect.stringMatching(/bob.*active/),
    ])
  })

  it('disables a user with a PATCH and shows the row as disabled', async () => {
    const { wrapper, fetchMock } = mountPage(jsonResponse({ ...bob, is_active: false }))
    await flushPromises()
    await wrapper.get('[aria-label="Disable bob"]').trigger('click')
    await flushPromises()

    const [url, init] = fetchMock.mock.calls[1]!
    expect(url).toBe('/api/users/u2')
    expect(init?.method).toBe('PATCH')
    expect(JSON.parse(String(init?.body))).toEqual({ is_active: false })
    expect(wrapper.findAll('tbody tr')[1]!.text()).toContain('disabled')
    expect(wrapper.find('[aria-label="Enable bob"]').exists()).toBe(true)
  })

  it('keeps the row as it was when the API refuses, and says why', async () => {
    const refusal = jsonResponse({ error: 'this is the last active admin: make another user admin first' }, 409)
    const { wrapper } = mountPage(refusal)
    await flushPromises()
    await wrapper.get('[aria-label="Disable admin"]').trigger('click')
    await flushPromises()

    expect(wrapper.findAll('tbody tr')[0]!.text()).toContain('active')
    expect(wrapper.find('[aria-label="Disable admin"]').exists()).toBe(true)
    expect(toast.add).toHaveBeenCalledWith(
      expect.objectContaining({
        severity: 'error',
        summary: 'Could not change admin',
        detail: 'this is the last active admin: make another user admin first',
      }),
    )
  })
})
