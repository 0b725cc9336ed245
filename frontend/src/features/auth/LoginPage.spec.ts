import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { freshPinia, jsonResponse, mockFetch, mountWithPrime } from '@/test/helpers'
import LoginPage from './LoginPage.vue'

const route = vi.hoisted(() => ({ query: {} as Record<string, string> }))
vi.mock('vue-router', () => ({ useRoute: () => route, useRouter: () => ({ replace: vi.fn() }) }))

afterEach(() => {
  vi.unstubAllGlobals()
  route.query = {}
})

async function mountWithMethods(methods: Response) {
  const fetchMock = mockFetch(methods)
  const wrapper = mountWithPrime(LoginPage, freshPinia())
  await flushPromises()
  return { wrapper, fetchMock }
}

const KEYCLOAK = { name: 'Keycloak', login_url: '/api/auth/oidc/login' }

describe('LoginPage sign-in methods', () => {
  it('asks the api which methods are on, without a token', async () => {
    const { fetchMock } = await mountWithMethods(jsonResponse({ local: true, oidc: null }))

    const [url, init] = fetchMock.mock.calls[0]!
    expect(`${init?.method} ${url}`).toBe('GET /api/auth/methods')
    expect(new Headers(init?.headers).has('Authorization')).toBe(false)
  })

  it('offers only the password form without single sign-on', async () => {
    const { wrapper } = await mountWithMethods(jsonResponse({ local: true, oidc: null }))

    expect(wrapper.find('#username').exists()).toBe(true)
    expect(wrapper.find('[data-test="sso-sign-in"]').exists()).toBe(false)
  })

  it('links to the identity provider by its name next to the password form', async () => {
    const { wrapper } = await mountWithMethods(jsonResponse({ local: true, oidc: KEYCLOAK }))

    const link = wrapper.get('[data-test="sso-sign-in"]')
    expect(link.element.tagName).toBe('A')
    expect(link.attributes('href')).toBe('/api/auth/oidc/login')
    expect(link.text()).toBe('Sign in with Keycloak')
    expect(wrapper.find('#username').exists()).toBe(true)
  })

  it('hides the password form when local passwords are off', async () => {
    const { wrapper } = await mountWithMethods(jsonResponse({ local: false, oidc: KEYCLOAK }))

    expect(wrapper.find('#username').exists()).toBe(false)
    expect(wrapper.find('#password').exists()).toBe(false)
    expect(wrapper.get('[data-test="sso-sign-in"]').text()).toBe('Sign in with Keycloak')
  })

  it('says so when no method at all is on', async () => {
    const { wrapper } = await mountWithMethods(jsonResponse({ local: false, oidc: null }))

    expect(wrapper.get('[data-test="no-sign-in-method"]').text()).toContain('Ask your administrator')
  })

  it('keeps the password form when the api cannot say', async () => {
    const { wrapper } = await mountWithMethods(jsonResponse({ error: 'database unavailable', detail: null }, 503))

    expect(wrapper.find('#username').exists()).toBe(true)
  })

  it('shows why single sign-on failed', async () => {
    route.query = { error: "'mallory' is in no group that has a NetRaven role" }
    const { wrapper } = await mountWithMethods(jsonResponse({ local: true, oidc: KEYCLOAK }))

    expect(wrapper.get('[data-test="login-error"]').text()).toBe("'mallory' is in no group that has a NetRaven role")
  })
})
