import { beforeEach, describe, expect, it } from 'vitest'
import { ApiError } from '@/api/client'
import { makeDevice } from '@/test/fixtures'
import { fakeApi, freshPinia, jsonResponse } from '@/test/helpers'
import { useDevicesStore } from './devices'
import { useDeviceTrustStore } from './deviceTrust'

const OFFERED = 'SHA256:newnewnewnewnewnewnewnewnewnewnewnewnewnew'
const device = (fingerprint: string | null) =>
  makeDevice({
    host_key: { status: fingerprint ? 'pinned' : 'none', key_type: null, fingerprint, pinned_at: null, pinned_by: null, offered: null },
  })

beforeEach(() => freshPinia())

describe('useDeviceTrustStore', () => {
  it('accepts the offered fingerprint, then re-reads the open device', async () => {
    let pinned: string | null = null
    const calls = fakeApi({
      'GET /api/devices/d1': () => jsonResponse(device(pinned)),
      'POST /api/devices/d1/host-key/accept': () => {
        pinned = OFFERED
        return jsonResponse(device(OFFERED))
      },
    })
    const devices = useDevicesStore()
    await devices.device.execute('d1')
    await useDeviceTrustStore().acceptHostKey('d1', OFFERED)
    expect(calls.map((c) => c.call)).toEqual([
      'GET /api/devices/d1',
      'POST /api/devices/d1/host-key/accept',
      'GET /api/devices/d1',
    ])
    expect(calls[1]!.body).toEqual({ fingerprint: OFFERED })
    expect(devices.device.data?.host_key?.fingerprint).toBe(OFFERED)
  })

  it('re-reads the device when it offered another key since (409), and still throws', async () => {
    const calls = fakeApi({
      'GET /api/devices/d1': () => jsonResponse(device(null)),
      'POST /api/devices/d1/host-key/accept': () =>
        jsonResponse({ error: 'the device offered another key since: reload', detail: null }, 409),
    })
    await useDevicesStore().device.execute('d1')
    const accepting = useDeviceTrustStore().acceptHostKey('d1', OFFERED)
    await expect(accepting).rejects.toThrow(ApiError)
    expect(calls.map((c) => c.call).at(-1)).toBe('GET /api/devices/d1')
  })

  it('pins a pasted key without its surrounding blanks, and re-reads the list when it is shown', async () => {
    const calls = fakeApi({
      'GET /api/devices?sort=hostname&limit=20&offset=0': () => jsonResponse({ items: [], total: 0 }),
      'PUT /api/devices/d1/host-key': () => jsonResponse(device('SHA256:x')),
    })
    await useDevicesStore().fetchDevices()
    await useDeviceTrustStore().pinHostKey('d1', '  ssh-ed25519 AAAAC3 lab\n')
    expect(calls[1]).toEqual({ call: 'PUT /api/devices/d1/host-key', body: { public_key: 'ssh-ed25519 AAAAC3 lab' } })
    expect(calls).toHaveLength(3)
  })

  it('does not re-read anything when the api refuses a key', async () => {
    const calls = fakeApi({
      'GET /api/devices/d1': () => jsonResponse(device(null)),
      'PUT /api/devices/d1/host-key': () => jsonResponse({ error: 'not an OpenSSH public key', detail: null }, 422),
    })
    await useDevicesStore().device.execute('d1')
    await expect(useDeviceTrustStore().pinHostKey('d1', 'junk')).rejects.toThrow('not an OpenSSH public key')
    expect(calls).toHaveLength(2)
  })

  it('clears the pin, unbinds the credential and imports known_hosts through their endpoints', async () => {
    const report = { pinned: [{ device_id: 'd1', hostname: 'core-sw-01', fingerprint: 'SHA256:x' }], unmatched: ['10.9.9.9'] }
    const calls = fakeApi({
      'DELETE /api/devices/d1/host-key': () => new Response(null, { status: 204 }),
      'DELETE /api/devices/d1/bound-credential': () => new Response(null, { status: 204 }),
      'POST /api/devices/host-keys': () => jsonResponse(report),
    })
    const trust = useDeviceTrustStore()
    await trust.clearHostKey('d1')
    await trust.unbindCredential('d1')
    expect(await trust.importKnownHosts('core-sw-01 ssh-ed25519 AAAA\n')).toEqual(report)
    expect(calls.map((c) => c.call)).toEqual([
      'DELETE /api/devices/d1/host-key',
      'DELETE /api/devices/d1/bound-credential',
      'POST /api/devices/host-keys',
    ])
    expect(calls[2]!.body).toEqual({ known_hosts: 'core-sw-01 ssh-ed25519 AAAA\n' })
  })
})
