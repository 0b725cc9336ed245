import { describe, expect, it } from 'vitest'
import { createMemoryHistory } from 'vue-router'
import type { Role } from '@/api/types'
import { menu } from '@/layout/menu'
import { createAppRouter } from '@/router'
import { freshPinia, jsonResponse, mockFetch } from '@/test/helpers'

async function visitAs(role: Role) {
  mockFetch(
    jsonResponse({ access_token: 'jwt', token_type: 'bearer' }),
    jsonResponse({ id: 'u1', username: 'someone', role }),
  )
  const router = createAppRouter(freshPinia(), createMemoryHistory())
  await router.push('/audit?outcome=denied')
  return router.currentRoute.value
}

describe('who reaches the audit trail', () => {
  it('lets an admin in', async () => {
    const route = await visitAs('admin')
    expect(route.name).toBe('audit')
    expect(route.query).toEqual({ outcome: 'denied' })
  })

  it.each<Role>(['operator', 'viewer'])('sends an %s to the unauthorized page', async (role) => {
    expect((await visitAs(role)).name).toBe('unauthorized')
  })

  it('shows the menu entry to admins only', () => {
    const entry = menu.flatMap((s) => s.items).find((i) => i.to.name === 'audit')
    expect(entry?.roles).toEqual(['admin'])
  })
})
