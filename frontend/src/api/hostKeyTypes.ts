/** How the api describes a device's SSH host key and its bound credential (docs/device-trust.md). */
import type { Schema } from './types'

export type HostKeyStatus = Schema<'HostKeyStatus'>
export const HOST_KEY_STATUSES = ['none', 'pinned', 'changed', 'untrusted'] as const satisfies
  readonly HostKeyStatus[]

/** A key the device offered that is not trusted: it differs from the pin, or strict pinning had none. */
export type OfferedHostKey = Schema<'OfferedHostKey'>

/** The SSH host key the device is pinned to (nulls when none), and any key it offered instead. */
export type DeviceHostKey = Schema<'HostKeyOut'>

/** The credential that last opened the device; it is tried first. */
export type BoundCredential = Schema<'BoundCredential'>
