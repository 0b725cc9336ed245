import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { freshPinia, jsonResponse, mockFetch, mountWithPrime } from '@/test/helpers'
import ComplianceBadge from './ComplianceBadge.vue'

const EVALUATION = {
  id: 'e1',
  device_id: 'd1',
  hostname: 'core-sw-01',
  commit: 'a'.repeat(40),
  evaluated_at: '2026-01-01T10:00:00Z',
  check_id: null,
  status: 'noncompliant',
  worst_severity: 'critical',
  failed_rules: 1,
  results: [
    { rule_id: 'r1', rule_name: 'no telnet', severity: 'critical', status: 'failed', details: ['x'], more_details: 0 },
    { rule_id: 'r2', rule_name: 'ssh v2', severity: 'warning', status: 'passed', details: [], more_details: 0 },
  ],
}

async function mountWith(response: Response) {
  const fetch = mockFetch(response)
  const wrapper = mountWithPrime(ComplianceBadge, freshPinia(), {
    props: { deviceId: 'd1' },
    global: { directives: { tooltip: {} }, stubs: { RouterLink: { template: '<a><slot /></a>' } } },
  })
  await flushPromises()
  return { wrapper, fetch }
}

afterEach(() => vi.unstubAllGlobals())

describe('ComplianceBadge', () => {
  it("shows the device's newest evaluation", async () => {
    const { wrapper, fetch } = await mountWith(jsonResponse(EVALUATION))
    expect(String(fetch.mock.calls[0]![0])).toContain('/api/compliance/devices/d1')
    expect(wrapper.get('[data-test="compliance"]').text()).toBe('Non-compliant')
  })

  it('says so when the device was never evaluated', async () => {
    const { wrapper } = await mountWith(jsonResponse({ error: 'none yet' }, 404))
    expect(wrapper.get('[data-test="compliance"]').text()).toBe('Not evaluated')
  })
})
