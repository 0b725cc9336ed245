import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ApiTokenCreate, CreatedApiToken } from '@/api/apiTokens'
import { ApiError } from '@/api/client'
import { freshPinia, mountWithPrime } from '@/test/helpers'
import TokenCreateDialog from './TokenCreateDialog.vue'

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

const SECRET = 'nrt_' + 'S'.repeat(43)

async function openWith(save: (token: ApiTokenCreate) => Promise<CreatedApiToken>) {
  vi.stubGlobal('matchMedia', () => ({ matches: false, addEventListener() {}, removeEventListener() {} }))
  const wrapper = mountWithPrime(TokenCreateDialog, freshPinia(), {
    props: { visible: false, roles: ['viewer', 'operator'], save },
    attachTo: document.body,
  })
  await wrapper.setProps({ visible: true })
  await flushPromises()
  return wrapper
}

function submit(): void {
  document.querySelector('form')!.dispatchEvent(new Event('submit'))
}

function typeName(name: string): void {
  const input = document.querySelector<HTMLInputElement>('#new-token-name')!
  input.value = name
  input.dispatchEvent(new Event('input'))
}

describe('TokenCreateDialog', () => {
  it('sends name, role and lifetime, then shows the secret once in a read-only field', async () => {
    const save = vi.fn(async (token: ApiTokenCreate) => ({ secret: SECRET, name: token.name }) as CreatedApiToken)
    const wrapper = await openWith(save)
    typeName('nightly-export')
    submit()
    await flushPromises()

    expect(save).toHaveBeenCalledWith({ name: 'nightly-export', role: 'viewer', expires_in_days: 90 })
    const field = document.querySelector<HTMLInputElement>('[data-test="token-secret"]')!
    expect(field.value).toBe(SECRET)
    expect(field.readOnly).toBe(true)
    expect(document.body.textContent).toContain('shown only once')
    const writeText = vi.fn(async () => undefined)
    vi.stubGlobal('navigator', { clipboard: { writeText } })
    ;[...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Copy')!.click()
    await flushPromises()
    expect(writeText).toHaveBeenCalledWith(SECRET)
    expect(document.body.textContent).toContain('Copied')

    await wrapper.setProps({ visible: false })
    await wrapper.setProps({ visible: true })
    await flushPromises()
    expect(document.querySelector('[data-test="token-secret"]')).toBeNull()
    expect(document.body.textContent).not.toContain(SECRET)
  })

  it("keeps the form and shows the API's refusal", async () => {
    const save = vi.fn(async () => {
      throw new ApiError(409, "you already have a token named 'x': choose another name or revoke that one")
    })
    await openWith(save)
    typeName('x')
    submit()
    await flushPromises()
    expect(document.querySelector('[role="alert"]')!.textContent).toContain('already have a token')
    expect(document.querySelector('#new-token-name')).not.toBeNull()
  })

  it('asks for a name before calling the API', async () => {
    const save = vi.fn()
    await openWith(save)
    submit()
    await flushPromises()
    expect(save).not.toHaveBeenCalled()
    expect(document.querySelector('[role="alert"]')!.textContent).toContain('Name the token')
  })
})
