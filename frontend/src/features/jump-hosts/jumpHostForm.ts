// The jump host editor's form. The host key is pasted as a known_hosts line or `ssh-keyscan` output;
// on edit an empty key keeps the pinned one.
import type { JumpHost, JumpHostInput } from '@/api/jumpHosts'

export interface JumpHostForm {
  name: string
  address: string
  port: number | null
  credentialId: string | null
  hostKey: string
}

export type JumpHostErrors = Partial<Record<'name' | 'address' | 'port' | 'credentialId' | 'hostKey', string>>

const ADDRESS = /^[A-Za-z0-9:][A-Za-z0-9._:-]*$/
const KEY_LINE = /(^|\s)(ssh-[a-z0-9-]+|ecdsa-sha2-nistp\d+|sk-[a-z0-9@.-]+)\s+[A-Za-z0-9+/]+={0,2}(\s|$)/m

export function jumpHostFormFrom(jumpHost: JumpHost | null): JumpHostForm {
  return {
    name: jumpHost?.name ?? '',
    address: jumpHost?.address ?? '',
    port: jumpHost?.port ?? 22,
    credentialId: jumpHost?.credential.id ?? null,
    hostKey: '',
  }
}

export function validateJumpHostForm(form: JumpHostForm, editing: boolean): JumpHostErrors {
  const errors: JumpHostErrors = {}
  if (!form.name.trim()) errors.name = 'Give the jump host a name'
  const address = form.address.trim()
  if (!address) errors.address = 'Enter its IP address or DNS name'
  else if (address.length > 255 || !ADDRESS.test(address)) errors.address = 'An IP address or a DNS name'
  if (form.port === null || form.port < 1 || form.port > 65535) errors.port = 'A port is between 1 and 65535'
  if (!form.credentialId) errors.credentialId = 'Choose the credential that logs in to it'
  if (!form.hostKey.trim()) {
    if (!editing) errors.hostKey = 'Paste its host key: the bastion is never trusted on first use'
  } else if (!KEY_LINE.test(form.hostKey)) {
    errors.hostKey = 'Paste a known_hosts line or the output of ssh-keyscan <address>'
  }
  return errors
}

/** The request body; on edit an empty host key is left out (the pinned one stays). */
export function jumpHostInputFrom(form: JumpHostForm): Partial<JumpHostInput> {
  const input: Partial<JumpHostInput> = {
    name: form.name.trim(),
    address: form.address.trim(),
    port: form.port ?? 22,
    credential_id: form.credentialId ?? undefined,
  }
  if (form.hostKey.trim()) input.host_key = form.hostKey
  return input
}
