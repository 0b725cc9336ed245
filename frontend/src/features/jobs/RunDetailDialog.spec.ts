import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { RunDetail, RunDeviceResult } from '@/api/types'
import { freshPinia, jsonResponse, mockFetch, mountWithPrime } from '@/test/helpers'
import RunDetailDialog from './RunDetailDialog.vue'

function result(changes: Partial<RunDeviceResult>): RunDeviceResult {
  return {
    device_id: 'd1',
    hostname: 'core-sw-01',
    status: 'succeeded',
    error: null,
    attempts: 1,
    credential_id: null,
    resolved_address: null,
    started_at: '2026-12-06T10:00:00Z',
    finished_at: '2026-12-06T10:00:05Z',
    ...changes,
  }
}

const RUN: RunDetail = {
  id: 'r1',
  job_id: 'j1',
  job_name: 'nightly',
  status: 'succeeded',
  trigger: 'manual',
  kind: 'backup',
  created_at: '2026-12-06T10:00:00Z',
  started_at: '2026-12-06T10:00:00Z',
  finished_at: '2026-12-06T10:00:05Z',
  device_count: 2,
  succeeded: 2,
  failed: 0,
  results: [
    result({ device_id: 'd1', hostname: 'by-name', resolved_address: '192.0.2.10' }),
    result({ device_id: 'd2', hostname: 'by-address' }),
  ],
}

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('RunDetailDialog', () => {
  it('shows the address a device given by DNS name resolved to', async () => {
    mockFetch(jsonResponse(RUN))
    mountWithPrime(RunDetailDialog, freshPinia(), {
      props: { runId: 'r1' },
      attachTo: document.body,
      global: { stubs: { DeviceLink: { props: ['hostname'], template: '<span>{{ hostname }}</span>' } } },
    })
    await flushPromises()
    const shown = [...document.querySelectorAll('[data-test="resolved-address"]')].map((el) => el.textContent?.trim())
    expect(shown).toEqual(['resolved to 192.0.2.10'])
  })
})
