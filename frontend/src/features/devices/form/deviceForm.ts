// The device form's values, the checks made before sending, and the API's answer mapped to fields.
import { ApiError } from '@/api/client'
import type { Device, DeviceInput } from '@/api/types'

export type DeviceField = keyof DeviceInput
export type FieldErrors = Partial<Record<DeviceField, string>>

export const TIMEOUT_RANGE = { min: 5, max: 600 } as const

const HOSTNAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/
const DEVICE_TYPE = /^[a-z0-9_]+$/
// RFC 1123 labels, as the api checks them; a last label of digits only is a mistyped IPv4 address.
const DNS_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i
const DNS_NAME_MAX = 253

export function emptyDevice(): DeviceInput {
  return {
    hostname: '',
    ip_address: '',
    device_type: 'cisco_ios',
    port: 22,
    timeout_seconds: null,
    legacy_ssh: false,
    transport: 'ssh',
    jump_host_id: null,
    site_id: null,
    tags: [],
  }
}

export function formFromDevice(device: Device): DeviceInput {
  return {
    hostname: device.hostname,
    ip_address: device.ip_address,
    device_type: device.device_type,
    port: device.port,
    timeout_seconds: device.timeout_seconds ?? null,
    legacy_ssh: device.legacy_ssh ?? false,
    transport: device.transport === 'telnet' ? 'telnet' : 'ssh',
    jump_host_id: device.jump_host_id ?? null,
    site_id: device.site_id ?? null,
    tags: [...device.tags],
  }
}

function looksLikeIp(value: string): boolean {
  return IPV4.test(value) || (value.includes(':') && /^[0-9A-Fa-f:.]+$/.test(value))
}

function looksLikeDnsName(value: string): boolean {
  const name = value.replace(/\.$/, '')
  const labels = name.split('.')
  return name.length <= DNS_NAME_MAX && labels.every((l) => DNS_LABEL.test(l)) && !/^\d+$/.test(labels.at(-1) ?? '')
}

/** An IPv4 or IPv6 address, or a DNS name the worker resolves at each session. */
export function looksLikeAddress(value: string): boolean {
  return looksLikeIp(value) || looksLikeDnsName(value)
}

/** What the form can tell before asking the server; the server has the last word. */
export function validateDevice(form: DeviceInput): FieldErrors {
  const errors: FieldErrors = {}
  const hostname = form.hostname.trim()
  if (!hostname) errors.hostname = 'Enter a hostname.'
  else if (hostname.length > 255 || !HOSTNAME.test(hostname)) {
    errors.hostname = 'Letters, digits, dots, dashes and underscores; start with a letter or digit.'
  }
  if (!form.ip_address.trim()) errors.ip_address = 'Enter an IP address or a DNS name.'
  else if (!looksLikeAddress(form.ip_address.trim())) {
    errors.ip_address = 'Enter an IPv4 or IPv6 address, or a DNS name (letters, digits, hyphens and dots).'
  }
  if (!DEVICE_TYPE.test(form.device_type)) errors.device_type = 'Choose a device type.'
  if (!Number.isInteger(form.port) || form.port < 1 || form.port > 65535) {
    errors.port = 'A port is between 1 and 65535.'
  }
  if (form.transport === 'telnet' && form.jump_host_id) {
    errors.transport = 'Telnet goes direct: a jump host tunnels SSH sessions only.'
  }
  const timeout = form.timeout_seconds
  if (timeout !== null && (!Number.isInteger(timeout) || timeout < TIMEOUT_RANGE.min || timeout > TIMEOUT_RANGE.max)) {
    errors.timeout_seconds = `Between ${TIMEOUT_RANGE.min} and ${TIMEOUT_RANGE.max} seconds, or empty for the default.`
  }
  return errors
}

/** Only the fields that differ from the device, for a PATCH. */
export function changedFields(device: Device, form: DeviceInput): Partial<DeviceInput> {
  const before = formFromDevice(device)
  const changes: Partial<DeviceInput> = {}
  for (const key of Object.keys(form) as DeviceField[]) {
    if (JSON.stringify(form[key]) !== JSON.stringify(before[key])) {
      Object.assign(changes, { [key]: form[key] })
    }
  }
  return changes
}

function isFieldList(detail: unknown): detail is Array<{ field: string; message: string }> {
  return Array.isArray(detail) && detail.every((d) => typeof d?.field === 'string' && typeof d?.message === 'string')
}

/** The api's 422 for an address in none of the management networks; it names them and who can add one. */
function isOutsideManagementNetworks(error: ApiError): boolean {
  return error.status === 422 && /outside the management networks/.test(error.message)
}

/** The api's 422 for a device type no driver has; it names the supported platforms. */
function isUnsupportedPlatform(error: ApiError): boolean {
  return error.status === 422 && /^device_type: no driver for/.test(error.message)
}

/**
 * Split an API refusal into messages at fields (422 names them, or says the address is outside the
 * management networks, the device type has no driver, or the transport or jump host does not fit;
 * 409 is a taken hostname) and one message for the rest.
 */
export function errorsFromApi(error: ApiError, fields: readonly string[]): { fields: FieldErrors; message: string | null } {
  const found: FieldErrors = {}
  const rest: string[] = []
  if (error.status === 422 && isFieldList(error.detail)) {
    for (const { field, message } of error.detail) {
      const name = field.split('.')[0] ?? ''
      if (fields.includes(name)) found[name as DeviceField] ??= message
      else rest.push(field ? `${field}: ${message}` : message)
    }
    return { fields: found, message: rest.length ? rest.join('; ') : null }
  }
  if (isOutsideManagementNetworks(error)) return { fields: { ip_address: error.message }, message: null }
  if (isUnsupportedPlatform(error)) return { fields: { device_type: error.message }, message: null }
  const named = /^(transport|jump_host_id): /.exec(error.message)
  if (error.status === 422 && named) return { fields: { [named[1] as DeviceField]: error.message }, message: null }
  if (error.status === 409 && /device named/.test(error.message)) {
    return { fields: { hostname: error.message }, message: null }
  }
  return { fields: found, message: error.message }
}
