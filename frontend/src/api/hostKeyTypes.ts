/** How the api describes a device's SSH host key and its bound credential (docs/device-trust.md). */

export const HOST_KEY_STATUSES = ['none', 'pinned', 'changed', 'untrusted'] as const
export type HostKeyStatus = (typeof HOST_KEY_STATUSES)[number]

/** A key the device offered that is not trusted: it differs from the pin, or strict pinning had none. */
export interface OfferedHostKey {
  key_type: string
  fingerprint: string
  seen_at: string | null
  /** An OpenSSH line "type base64"; only the device detail sends it. */
  public_key?: string | null
}

/** The SSH host key the device is pinned to (nulls when none), and any key it offered instead. */
export interface DeviceHostKey {
  status: HostKeyStatus
  key_type: string | null
  fingerprint: string | null
  pinned_at: string | null
  /** "first use", "import", or the admin's username. */
  pinned_by: string | null
  public_key?: string | null
  offered: OfferedHostKey | null
}

/** The credential that last opened the device; it is tried first. */
export interface BoundCredential {
  id: string
  name: string
}
