// Shared test helpers (specs live beside the code they test).
import { flushPromises, mount, type ComponentMountingOptions } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import PrimeVue from 'primevue/config'
import Tooltip from 'primevue/tooltip'
import { afterEach, beforeEach, vi } from 'vitest'
import type { Component } from 'vue'

export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  })
}

/** Replace global fetch with a mock answering each call from the queue, in order. */
export function mockFetch(...responses: Array<Response | Error>) {
  const fn = vi.fn<typeof fetch>()
  for (const r of responses) {
    if (r instanceof Error) fn.mockRejectedValueOnce(r)
    else fn.mockResolvedValueOnce(r)
  }
  vi.stubGlobal('fetch', fn)
  return fn
}

/** A JSON body parsed; a form body as its text. */
function readBody(body: string): unknown {
  try {
    return JSON.parse(body)
  } catch {
    return body
  }
}

/** Replace global fetch with a fake API answering by method and path, recording each call with its body. */
export function fakeApi(answers: Record<string, () => Response>) {
  const calls: Array<{ call: string; body: unknown }> = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const call = `${init?.method ?? 'GET'} ${url}`
      calls.push({ call, body: init?.body ? readBody(String(init.body)) : undefined })
      return answers[call]?.() ?? jsonResponse({ error: `unexpected ${call}` }, 404)
    }),
  )
  return calls
}

/** Stop the clock at `now` for every test of the calling file; timers keep running. */
export function freezeDate(now: Date): void {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(now)
  })
  afterEach(() => vi.useRealTimers())
}

export function freshPinia(): Pinia {
  const pinia = createPinia()
  setActivePinia(pinia)
  return pinia
}

/** Mount with PrimeVue installed (unthemed) and the given Pinia. */
export function mountWithPrime<C extends Component>(
  component: C,
  pinia: Pinia,
  options: ComponentMountingOptions<C> = {},
) {
  return mount(component, {
    ...options,
    global: {
      ...options.global,
      plugins: [pinia, [PrimeVue, { theme: 'none' }], ...(options.global?.plugins ?? [])],
      stubs: { RouterLink: { template: '<a><slot /></a>' }, ...options.global?.stubs },
      directives: { tooltip: Tooltip, ...options.global?.directives },
    },
  } as ComponentMountingOptions<C>)
}

/** Mount a dialog closed, then open it, as its page does: dialogs reset themselves on opening. */
export async function openDialog(component: Component, pinia: Pinia) {
  const wrapper = mountWithPrime(component, pinia, { props: { visible: false }, attachTo: document.body })
  await wrapper.setProps({ visible: true })
  await flushPromises()
  return wrapper
}

/** Put text in the page's only text area, as pasting it does. */
export async function paste(text: string): Promise<void> {
  const area = document.querySelector('textarea')!
  area.value = text
  area.dispatchEvent(new Event('input'))
  await flushPromises()
}

/** An access token as the API issues it (a JWT) that expires `secondsLeft` from now; the signature is not checked here. */
export function accessToken(secondsLeft: number, subject = 'u1'): string {
  const base64url = (value: object) =>
    btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
  const exp = Math.floor(Date.now() / 1000) + secondsLeft
  return `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url({ sub: subject, exp })}.signature`
}
