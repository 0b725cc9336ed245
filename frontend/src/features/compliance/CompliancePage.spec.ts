import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Role } from '@/api/types'
import { useAuthStore } from '@/stores/auth'
import { freshPinia, jsonResponse, mountWithPrime } from '@/test/helpers'
import CompliancePage from './CompliancePage.vue'

const RULE = {
  id: 'r1',
  name: 'no telnet',
  description: '',
  kind: 'must_not_contain',
  pattern: '^transport input .*telnet',
  regex: true,
  section: '^line vty',
  platforms: ['cisco_ios'],
  tags: ['core'],
  severity: 'critical',
  enabled: true,
  created_at: '2026-01-01T10:00:00Z',
  updated_at: '2026-01-01T10:00:00Z',
}
const SUMMARY = {
  rules: [{ rule_id: 'r1', rule_name: 'no telnet', severity: 'critical', passed: 3, failed: 2, errors: 0 }],
  devices: [
    {
      device_id: 'd1',
      hostname: 'core-sw-01',
      commit: 'a'.repeat(40),
      evaluated_at: '2026-01-01T10:00:00Z',
      status: 'noncompliant',
      worst_severity: 'critical',
      failed_rules: 1,
    },
  ],
}
const FAILING = [
  {
    device_id: 'd1',
    hostname: 'core-sw-01',
    commit: 'a'.repeat(40),
    evaluated_at: '2026-01-01T10:00:00Z',
    details: ['line vty 0 4 (line 12): transport input telnet'],
    more_details: 0,
  },
]
const CHECK = {
  id: 'c1',
  started_by: 'op',
  started_at: '2026-01-01T10:00:00Z',
  finished_at: null,
  total: 4,
  evaluated: 1,
  noncompliant: 1,
  errors: 0,
}

function answering(): ReturnType<typeof vi.fn> {
  const fetch = vi.fn((url: string, init?: RequestInit) => {
    if (url.includes('/compliance/rules/r1/failing')) return Promise.resolve(jsonResponse(FAILING))
    if (url.includes('/compliance/rules')) return Promise.resolve(jsonResponse([RULE]))
    if (url.includes('/compliance/summary')) return Promise.resolve(jsonResponse(SUMMARY))
    if (url.includes('/compliance/check') && init?.method === 'POST') return Promise.resolve(jsonResponse(CHECK, 202))
    return Promise.resolve(jsonResponse({}))
  })
  vi.stubGlobal('fetch', fetch)
  return fetch
}

async function mountAs(role: Role) {
  answering()
  const pinia = freshPinia()
  useAuthStore(pinia).user = { id: 'u1', username: role, role }
  const wrapper = mountWithPrime(CompliancePage, pinia, {
    global: {
      directives: { tooltip: {} },
      stubs: { RuleEditorDialog: true, ConfirmDeleteDialog: true, RouterLink: { template: '<a><slot /></a>' } },
    },
  })
  await flushPromises()
  return wrapper
}

afterEach(() => vi.unstubAllGlobals())

describe('CompliancePage', () => {
  it('shows a viewer each rule with its pass/fail counts and the devices worst first, read-only', async () => {
    const wrapper = await mountAs('viewer')
    const [ruleRow, deviceRow] = wrapper.findAll('tbody tr').map((row) => row.text())
    expect(ruleRow).toContain('no telnet')
    expect(ruleRow).toContain('3 / 2')
    expect(deviceRow).toContain('core-sw-01')
    expect(deviceRow).toContain('Non-compliant')
    const labels = wrapper.findAll('button').map((b) => b.attributes('aria-label') ?? b.text())
    expect(labels).not.toContain('Check fleet now')
    expect(labels).not.toContain('New rule')
  })

  it('lists the failing devices of a rule with what matched', async () => {
    const wrapper = await mountAs('viewer')
    await wrapper.get('[aria-label="Failing devices of no telnet"]').trigger('click')
    await flushPromises()
    expect(wrapper.text()).toContain('line vty 0 4 (line 12): transport input telnet')
  })

  it('lets an operator check the fleet and shows the progress', async () => {
    const wrapper = await mountAs('operator')
    await wrapper.findAll('button').find((b) => b.text().includes('Check fleet now'))!.trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid="check-progress"]').text()).toContain('1 of 4 devices evaluated, 1 non-compliant')
  })

  it('gives an admin new, edit and delete', async () => {
    const wrapper = await mountAs('admin')
    const labels = wrapper.findAll('button').map((b) => b.attributes('aria-label') ?? b.text())
    expect(labels).toEqual(expect.arrayContaining(['New rule', 'Edit no telnet', 'Delete no telnet']))
  })
})
