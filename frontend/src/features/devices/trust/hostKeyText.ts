// What a host key status means for the device, in the words the host key card shows.
import type { DeviceHostKey } from '@/api/hostKeyTypes'
import { formatDateTime } from '@/utils/format'

export interface HostKeyNotice {
  severity: 'error' | 'warn' | 'info'
  text: string
}

export function hostKeyNotice(hostKey: DeviceHostKey): HostKeyNotice | null {
  switch (hostKey.status) {
    case 'changed':
      return {
        severity: 'error',
        text:
          'The device offered a different key from the pinned one, so NetRaven sent it nothing. The key may ' +
          'have been regenerated (new hardware, a reinstall), or someone may be between NetRaven and the ' +
          'device. Backups of this device stop until an admin accepts the new key or pins the right one.',
      }
    case 'untrusted':
      return {
        severity: 'warn',
        text:
          'The device offered a key and the workers pin strictly, so NetRaven sent it nothing. Backups wait ' +
          'until an admin accepts this key or pins the right one.',
      }
    case 'none':
      return {
        severity: 'info',
        text:
          'No key pinned yet: the next session pins the key the device offers (trust on first use), unless ' +
          'the workers pin strictly.',
      }
    default:
      return null
  }
}

/** "Pinned on first use, <when>", "Pinned by an import, <when>" or "Pinned <when> by alice". */
export function pinnedText(hostKey: DeviceHostKey): string {
  const when = formatDateTime(hostKey.pinned_at)
  if (hostKey.pinned_by === 'first use') return `Pinned on first use, ${when}`
  if (hostKey.pinned_by === 'import') return `Pinned by an import, ${when}`
  return hostKey.pinned_by ? `Pinned ${when} by ${hostKey.pinned_by}` : `Pinned ${when}`
}

/** A device reached over HTTPS (an API input) is pinned by its TLS certificate's public key. */
export const CERTIFICATE_KEY_TYPE = 'x509-spki'

export function isCertificateKey(keyType: string | null | undefined): boolean {
  return keyType === CERTIFICATE_KEY_TYPE
}

/** The key type as the card names it: a certificate key says so, an SSH one by its algorithm. */
export function keyTypeLabel(keyType: string | null | undefined): string {
  return isCertificateKey(keyType) ? 'TLS certificate public key (x509-spki)' : (keyType ?? '')
}
