import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { GitMirror } from '@/api/busTypes'
import { freshPinia, jsonResponse, mockFetch, mountWithPrime } from '@/test/helpers'
import MirrorsPanel from './MirrorsPanel.vue'

const GITHUB: GitMirror = {
  name: 'github',
  remote: 'git@github.com:acme/network-configs.git',
  branch: 'main',
  state: 'ok',
  last_success_at: '2026-12-05T12:04:00Z',
  last_pushed_commit: '3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e',
  last_error: null,
  failing_since: null,
  attempts: 0,
  commits_waiting: 0,
  updated_at: '2026-12-05T12:04:00Z',
}
const GITLAB: GitMirror = {
  ...GITHUB,
  name: 'gitlab',
  remote: 'https://ci@gitlab.example.net/acme/configs.git',
  state: 'failing',
  last_error: "fatal: unable to access 'https://ci@gitlab.example.net/acme/configs.git/': 503",
  failing_since: '2026-12-05T11:00:00Z',
  attempts: 7,
  commits_waiting: 4,
}

async function mountWith(...responses: Response[]) {
  const fetch = mockFetch(...responses)
  const wrapper = mountWithPrime(MirrorsPanel, freshPinia())
  await flushPromises()
  return { wrapper, fetch }
}

const rows = (wrapper: Awaited<ReturnType<typeof mountWith>>['wrapper']) =>
  wrapper.findAll('[data-test="mirrors-table"] tbody tr')

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('MirrorsPanel', () => {
  it('shows each mirror: remote, OK or failing with the error, commits waiting, last push', async () => {
    const { wrapper, fetch } = await mountWith(jsonResponse({ items: [GITHUB, GITLAB] }))

    expect(String(fetch.mock.calls[0]![0])).toBe('/api/mirrors')
    expect(wrapper.get('[data-test="mirrors-summary"]').text()).toBe('1 of 2 up to date')
    const [github, gitlab] = rows(wrapper)
    expect(github!.get('[data-test="remote"]').text()).toBe('git@github.com:acme/network-configs.git · main')
    expect(github!.get('.p-tag-success').text()).toBe('OK')
    expect(github!.find('[data-test="last-error"]').exists()).toBe(false)
    expect(github!.get('[data-test="pushed-commit"]').text()).toBe('3f2e1d0c9b')
    expect(github!.get('[data-test="waiting"]').text()).toBe('0')

    expect(gitlab!.get('[data-status]').attributes('data-status')).toBe('failing')
    expect(gitlab!.get('.p-tag-danger').text()).toBe('Failing')
    expect(gitlab!.get('[data-test="last-error"]').text()).toContain('503')
    expect(gitlab!.get('[data-test="failing-since"]').text()).toContain('7 attempts')
    expect(gitlab!.get('[data-test="waiting"]').text()).toBe('4')
  })

  it('asks again every 10 seconds and shows the recovery', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    const recovered = { ...GITLAB, state: 'ok', last_error: null, failing_since: null, commits_waiting: 0 }
    const { wrapper, fetch } = await mountWith(
      jsonResponse({ items: [GITLAB] }),
      jsonResponse({ items: [recovered] }),
    )
    expect(rows(wrapper)[0]!.get('[data-status]').attributes('data-status')).toBe('failing')

    vi.advanceTimersByTime(10_000)
    await flushPromises()

    expect(fetch).toHaveBeenCalledTimes(2)
    expect(rows(wrapper)[0]!.get('[data-status]').attributes('data-status')).toBe('ok')
    expect(rows(wrapper)[0]!.find('[data-test="last-error"]').exists()).toBe(false)
  })

  it('says how to configure one when there is none', async () => {
    const { wrapper } = await mountWith(jsonResponse({ items: [] }))
    expect(wrapper.text()).toContain('No git mirror is configured')
  })
})
