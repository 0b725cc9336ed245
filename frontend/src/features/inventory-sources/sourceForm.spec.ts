import { describe, expect, it } from 'vitest'
import { parsePlatformMap, sourceFormFrom, sourceInputFrom, validateSourceForm } from './sourceForm'

describe('sourceForm', () => {
  it('reads the platform map one pair a line and names the first bad line', () => {
    expect(parsePlatformMap('ios = cisco_ios\n\n eos=arista_eos ')).toEqual({ ios: 'cisco_ios', eos: 'arista_eos' })
    expect(parsePlatformMap('ios = cisco_ios\njunos')).toBe(2)
  })

  it('asks a new source for a name, an http(s) address and a token', () => {
    const errors = validateSourceForm({ ...sourceFormFrom(null), url: 'netbox.local' }, false)
    expect(Object.keys(errors).sort()).toEqual(['name', 'token', 'url'])
    expect(validateSourceForm({ ...sourceFormFrom(null), name: 'nb', url: 'https://nb' }, true)).toEqual({})
  })

  it('sends filters as slug lists and leaves an empty token out', () => {
    const form = {
      ...sourceFormFrom(null),
      name: ' nb ',
      url: 'https://netbox.example.net',
      filters: { site: 'dc1, dc2', role: '', tag: 'backup', status: 'active' },
      platformMap: 'ios = cisco_ios',
    }
    const input = sourceInputFrom(form)
    expect(input).toMatchObject({
      name: 'nb',
      kind: 'netbox',
      filters: { site: ['dc1', 'dc2'], role: [], tag: ['backup'], status: ['active'] },
      platform_map: { ios: 'cisco_ios' },
      credential_tag: null,
    })
    expect(input).not.toHaveProperty('token')
  })
})
