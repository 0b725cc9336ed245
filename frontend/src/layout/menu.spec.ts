import { describe, expect, it } from 'vitest'
import type { Role } from '@/api/types'
import { isEntryActive, menu, visibleSections } from './menu'

const labels = (role: Role, routes?: string[]) =>
  visibleSections(
    menu,
    (roles) => roles.includes(role),
    (name) => !routes || routes.includes(name),
  ).flatMap((s) => s.items.map((i) => i.label))

describe('the main menu', () => {
  it('shows an admin every page', () => {
    expect(labels('admin')).toEqual([
      'Job Status',
      'Logs',
      'Jobs',
      'Devices',
      'Config search',
      'Compliance',
      'Tags',
      'Platforms',
      'Filters',
      'Credentials',
      'Jump hosts',
      'Sites',
      'Inventory sources',
      'Management networks',
      'Users',
      'Notifications',
      'Rejected events',
      'Audit trail',
      'API tokens',
    ])
  })

  it('hides Users and Rejected events from an operator, and Credentials and Users from a viewer', () => {
    expect(labels('operator')).toContain('Credentials')
    expect(labels('operator')).not.toContain('Users')
    expect(labels('operator')).not.toContain('Rejected events')
    expect(labels('viewer')).not.toContain('Rejected events')
    expect(labels('operator')).not.toContain('Audit trail')
    expect(labels('operator')).not.toContain('Notifications')
    expect(labels('viewer')).not.toContain('Credentials')
    expect(labels('viewer')).not.toContain('Users')
    expect(labels('viewer')).toContain('Config search')
    expect(labels('viewer')).toContain('Management networks')
    expect(labels('viewer')).toContain('Platforms')
    expect(labels('viewer')).toContain('Filters')
    expect(labels('viewer')).toContain('API tokens')
  })

  it('leaves out pages whose route does not exist, and sections left empty', () => {
    const sections = visibleSections(menu, () => true, (name) => name === 'dashboard')
    expect(sections.map((s) => s.label)).toEqual(['Operations'])
    expect(sections[0]!.items.map((i) => i.label)).toEqual(['Job Status'])
  })

  it('keeps Devices active on a device page', () => {
    const devices = menu.flatMap((s) => s.items).find((i) => i.label === 'Devices')!
    expect(isEntryActive(devices, 'device')).toBe(true)
    expect(isEntryActive(devices, 'devices')).toBe(true)
    expect(isEntryActive(devices, 'dashboard')).toBe(false)
  })
})
