// The credential editor's form. Secrets are write-only: the form starts with them empty, and an
// empty secret on edit means "keep the stored one", so it is left out of the request.
import type { Credential, CredentialInput } from '@/api/credentials'

export interface CredentialForm {
  name: string
  username: string
  password: string
  enableSecret: string
  /** On edit: drop the stored enable secret. */
  removeEnableSecret: boolean
  priority: number | null
  tags: string[]
}

export type CredentialErrors = Partial<Record<'name' | 'username' | 'password' | 'priority', string>>

export function credentialFormFrom(credential: Credential | null): CredentialForm {
  return {
    name: credential?.name ?? '',
    username: credential?.username ?? '',
    password: '',
    enableSecret: '',
    removeEnableSecret: false,
    priority: credential?.priority ?? 100,
    tags: credential ? [...credential.tags] : [],
  }
}

export function validateCredentialForm(form: CredentialForm, editing: boolean): CredentialErrors {
  const errors: CredentialErrors = {}
  if (!form.name.trim()) errors.name = 'Give the credential a name'
  if (!form.username.trim()) errors.username = 'Enter the login username'
  if (!editing && !form.password) errors.password = 'Enter the password'
  if (form.priority === null || form.priority < 1 || form.priority > 10000) {
    errors.priority = 'Priority is a number from 1 (tried first) to 10000'
  }
  return errors
}

/** The request body: on edit, only secrets that were typed (or the enable secret's removal). */
export function credentialInputFrom(form: CredentialForm, editing: boolean): Partial<CredentialInput> {
  const input: Partial<CredentialInput> = {
    name: form.name.trim(),
    username: form.username.trim(),
    priority: form.priority ?? 100,
    tags: form.tags,
  }
  if (form.password) input.password = form.password
  if (form.enableSecret) input.enable_secret = form.enableSecret
  else if (editing && form.removeEnableSecret) input.enable_secret = null
  else if (!editing) input.enable_secret = null
  return input
}
