import { describe, expect, it } from 'vitest'
import { menu } from '@/layout/menu'
import { routes } from '@/router/routes'

const children = routes.flatMap((route) => route.children ?? [])

describe('who reaches credentials, jobs and tags', () => {
  it('keeps the credentials page and its menu entry for operators and admins', () => {
    expect(children.find((r) => r.name === 'credentials')?.meta?.roles).toEqual(['operator', 'admin'])
    const entry = menu.flatMap((s) => s.items).find((i) => (i.to as { name?: string }).name === 'credentials')
    expect(entry?.roles).toEqual(['operator', 'admin'])
  })

  it('lets every signed-in user see jobs and tags (their actions are hidden by role)', () => {
    for (const name of ['jobs', 'tags']) {
      const route = children.find((r) => r.name === name)
      expect(route, name).toBeDefined()
      expect(route?.meta?.roles).toBeUndefined()
    }
  })
})
