import { afterEach, describe, expect, it } from 'vitest'
import { cspNonce } from './cspNonce'

describe('cspNonce', () => {
  afterEach(() => document.head.querySelector('meta[property="csp-nonce"]')?.remove())

  it('reads the nonce the api put in the page', () => {
    const meta = document.createElement('meta')
    meta.setAttribute('property', 'csp-nonce')
    meta.nonce = 'r4nd0m-nonce'
    document.head.append(meta)
    expect(cspNonce()).toBe('r4nd0m-nonce')
  })

  it('is undefined on a page without one', () => {
    expect(cspNonce()).toBeUndefined()
  })
})
