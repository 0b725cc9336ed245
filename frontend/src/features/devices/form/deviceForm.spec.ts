import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api/client'
import { makeDevice } from '@/test/fixtures'
import { changedFields, emptyDevice, errorsFromApi, formFromDevice, validateDevice } from './deviceForm'

const FIELDS = Object.keys(emptyDevice())
const DEVICE = makeDevice({ tags: ['core'] })

describe('validateDevice', () => {
  it('accepts a complete device', () => {
    expect(validateDevice(formFromDevice(DEVICE))).toEqual({})
    expect(validateDevice({ ...formFromDevice(DEVICE), ip_address: '2001:db8::1', timeout_seconds: 600 })).toEqual({})
  })

  it('names every field that is wrong', () => {
    const errors = validateDevice({
      ...emptyDevice(),
      hostname: '-bad name',
      ip_address: '10.0.0.300',
      port: 70000,
      timeout_seconds: 4,
    })
    expect(Object.keys(errors).sort()).toEqual(['hostname', 'ip_address', 'port', 'timeout_seconds'])
    expect(validateDevice(emptyDevice()).hostname).toBe('Enter a hostname.')
  })

  it('accepts a DNS name and refuses what is neither a name nor an address', () => {
    const form = formFromDevice(DEVICE)
    expect(validateDevice({ ...form, ip_address: 'core-sw-01.example.net' })).toEqual({})
    expect(validateDevice({ ...form, ip_address: 'localhost' })).toEqual({})
    for (const bad of ['sw_01.example.net', '-edge.example', 'two..dots', 'a'.repeat(64) + '.example', '10.0.0.300']) {
      expect(validateDevice({ ...form, ip_address: bad }).ip_address).toMatch(/or a DNS name/)
    }
  })
})

describe('changedFields', () => {
  it('sends only what changed, SSH options included', () => {
    const form = { ...formFromDevice(DEVICE), port: 2222, legacy_ssh: true, tags: ['core'] }
    expect(changedFields(DEVICE, form)).toEqual({ port: 2222, legacy_ssh: true })
  })
})

describe('errorsFromApi', () => {
  it('puts 422 messages at their fields and keeps the others for a message', () => {
    const error = new ApiError(422, 'invalid request', [
      { field: 'ip_address', message: 'value is not a valid IPv4 or IPv6 address' },
      { field: 'tags.0', message: 'String should have at least 1 character' },
      { field: 'extra', message: 'not allowed' },
    ])
    expect(errorsFromApi(error, FIELDS)).toEqual({
      fields: {
        ip_address: 'value is not a valid IPv4 or IPv6 address',
        tags: 'String should have at least 1 character',
      },
      message: 'extra: not allowed',
    })
  })

  it('shows a taken hostname at the hostname', () => {
    const error = new ApiError(409, "a device named 'core-sw-01' already exists")
    expect(errorsFromApi(error, FIELDS)).toEqual({
      fields: { hostname: "a device named 'core-sw-01' already exists" },
      message: null,
    })
  })

  it('shows an address outside the management networks at the IP address, as the api words it', () => {
    const text =
      '10.9.9.9 is outside the management networks (10.0.0.0/8, 192.168.0.0/16): an admin must add its network first'
    const error = new ApiError(422, text, { management_networks: ['10.0.0.0/8', '192.168.0.0/16'] })
    expect(errorsFromApi(error, FIELDS)).toEqual({ fields: { ip_address: text }, message: null })
  })

  it('shows a device type no driver has at the device type, with the supported platforms', () => {
    const text = "device_type: no driver for 'acme_os' (supported: cisco_ios, juniper_junos)"
    const error = new ApiError(422, text, text)
    expect(errorsFromApi(error, FIELDS)).toEqual({ fields: { device_type: text }, message: null })
  })

  it('keeps anything else as one message', () => {
    expect(errorsFromApi(new ApiError(403, 'operator role required'), FIELDS)).toEqual({
      fields: {},
      message: 'operator role required',
    })
  })
})

describe('transport and jump host', () => {
  it('refuses Telnet through a jump host before asking the server', () => {
    const form = { ...emptyDevice(), hostname: 'sw1', ip_address: '10.0.0.1', transport: 'telnet' as const, jump_host_id: 'j1' }
    expect(validateDevice(form).transport).toMatch(/Telnet goes direct/)
    expect(validateDevice({ ...form, jump_host_id: null }).transport).toBeUndefined()
  })

  it('puts the api refusal of a platform without Telnet at the transport field', () => {
    const error = new ApiError(422, 'transport: the fortinet platform has no Telnet driver (…): use ssh')
    expect(errorsFromApi(error, Object.keys(emptyDevice()))).toEqual({
      fields: { transport: error.message },
      message: null,
    })
  })
})
