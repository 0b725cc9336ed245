// What the new-site form checks before asking the server (which checks the same, with a 422).

export const SITE_NAME = /^[a-z][a-z0-9-]{0,30}$/
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/

export interface SiteForm {
  name: string
  description: string
  public_key: string
}

export type SiteProblems = Partial<Record<keyof SiteForm, string>>

/** The bytes a base64 text decodes to, without decoding it. */
function decodedLength(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0
  return (text.length / 4) * 3 - padding
}

export function validateSite(form: SiteForm): SiteProblems {
  const problems: SiteProblems = {}
  const name = form.name.trim()
  if (!SITE_NAME.test(name)) {
    problems.name = 'A lowercase letter, then up to 30 lowercase letters, digits or dashes'
  } else if (name === 'central') {
    problems.name = '"central" names the central workers'
  }
  const key = form.public_key.trim()
  if (!key) problems.public_key = 'Paste the public key the site printed'
  else if (!BASE64.test(key) || key.length % 4 !== 0) problems.public_key = 'Not valid base64'
  else if (decodedLength(key) !== 32) problems.public_key = 'An X25519 public key is 32 bytes (44 base64 characters)'
  if (form.description.length > 500) problems.description = 'At most 500 characters'
  return problems
}
