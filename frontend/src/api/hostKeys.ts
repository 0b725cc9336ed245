// Device trust: the SSH host key each device is pinned to, and the credential bound to it. Admin only.
import { request } from './client'
import type { Schema } from './types'

const enc = encodeURIComponent

export type PinnedFromKnownHosts = Schema<'PinnedDevice'>

/** What a known_hosts import did: devices pinned, and the file's host patterns that named no device. */
export type KnownHostsReport = Schema<'KnownHostsReport'>

export const hostKeysApi = {
  /** Pin the key the device offered; 409 when it offered another one since (the fingerprint differs). */
  accept: (deviceId: string, fingerprint: string) =>
    request<unknown>(`/devices/${enc(deviceId)}/host-key/accept`, { method: 'POST', json: { fingerprint } }),
  /** Pre-load or replace the pin with an OpenSSH public key line ("ssh-ed25519 AAAA... [comment]"). */
  pin: (deviceId: string, publicKey: string) =>
    request<unknown>(`/devices/${enc(deviceId)}/host-key`, { method: 'PUT', json: { public_key: publicKey } }),
  clear: (deviceId: string) => request<void>(`/devices/${enc(deviceId)}/host-key`, { method: 'DELETE' }),
  importKnownHosts: (knownHosts: string) =>
    request<KnownHostsReport>('/devices/host-keys', { method: 'POST', json: { known_hosts: knownHosts } }),
  unbindCredential: (deviceId: string) =>
    request<void>(`/devices/${enc(deviceId)}/bound-credential`, { method: 'DELETE' }),
}
