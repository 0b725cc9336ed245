// The credential editor's form. Secrets are write-only: the form starts with them empty, and an
// empty secret on edit means "keep the stored one", so it is left out of the request. A credential
// holds a password, a private key, or both (the key is tried first).
import type { Credential, CredentialInput } from '@/api/credentials'

export interface CredentialForm {
  name: string
  username: string
  password: string
  /** On edit: drop the stored password (the credential keeps its key). */
  removePassword: boolean
  privateKey: string
  /** The file the key was read from, if it was chosen rather than pasted. */
  privateKeyFile: string | null
  passphrase: string
  /** On edit: drop the stored key and its passphrase (the credential keeps its password). */
  removeKey: boolean
  enableSecret: string
  /** On edit: drop the stored enable secret. */
  removeEnableSecret: boolean
  priority: number | null
  tags: string[]
}

export type CredentialErrors = Partial<
  Record<'name' | 'username' | 'password' | 'privateKey' | 'passphrase' | 'priority', string>
>

export function credentialFormFrom(credential: Credential | null): CredentialForm {
  return {
    name: credential?.name ?? '',
    username: credential?.username ?? '',
    password: '',
    removePassword: false,
    privateKey: '',
    privateKeyFile: null,
    passphrase: '',
    removeKey: false,
    enableSecret: '',
    removeEnableSecret: false,
    priority: credential?.priority ?? 100,
    tags: credential ? [...credential.tags] : [],
  }
}

/** Whether the credential keeps a password and a key once the form is saved. */
function keeps(form: CredentialForm, stored: Credential | null): { password: boolean; key: boolean } {
  const methods = stored?.auth_methods ?? []
  return {
    password: !!form.password || (methods.includes('password') && !form.removePassword),
    key: !!form.privateKey.trim() || (methods.includes('key') && !form.removeKey),
  }
}

export function validateCredentialForm(form: CredentialForm, stored: Credential | null): CredentialErrors {
  const errors: CredentialErrors = {}
  if (!form.name.trim()) errors.name = 'Give the credential a name'
  if (!form.username.trim()) errors.username = 'Enter the login username'
  const kept = keeps(form, stored)
  if (!kept.password && !kept.key) {
    errors.password = 'Enter a password, a private key, or both'
  }
  if (form.privateKey.trim() && !form.privateKey.includes('PRIVATE KEY')) {
    errors.privateKey = 'Paste the whole private key, BEGIN and END lines included (not the .pub file)'
  }
  if (form.passphrase && !form.privateKey.trim()) {
    errors.passphrase = 'Enter the passphrase together with the key it unlocks'
  }
  if (form.priority === null || form.priority < 1 || form.priority > 10000) {
    errors.priority = 'Priority is a number from 1 (tried first) to 10000'
  }
  return errors
}

/** The request body: on edit, only secrets that were typed (or a stored secret's removal). */
export function credentialInputFrom(form: CredentialForm, editing: boolean): Partial<CredentialInput> {
  const input: Partial<CredentialInput> = {
    name: form.name.trim(),
    username: form.username.trim(),
    priority: form.priority ?? 100,
    tags: form.tags,
  }
  if (form.password) input.password = form.password
  else if (editing && form.removePassword) input.password = null
  if (form.privateKey.trim()) {
    input.private_key = form.privateKey
    input.private_key_passphrase = form.passphrase || null
  } else if (editing && form.removeKey) input.private_key = null
  if (form.enableSecret) input.enable_secret = form.enableSecret
  else if (editing && form.removeEnableSecret) input.enable_secret = null
  else if (!editing) input.enable_secret = null
  return input
}

/** How the list shows what a credential logs in with. */
export function authMethodsLabel(credential: Credential): string {
  const names = { key: 'Key', password: 'Password' } as const
  return credential.auth_methods.map((method) => names[method]).join(' + ') || 'None'
}
