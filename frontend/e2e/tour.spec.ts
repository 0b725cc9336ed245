// Every page once, signed in as the admin, in light and in dark: each must render its heading
// without an error, and `make screenshots` keeps the pictures in docs/screenshots/.
import { type Page } from '@playwright/test'
import { expect, test } from './csp'
import { adminToken } from './accounts'
import { LAB_HOSTS, LAB_RUN_TIMEOUT_MS, openSignedIn, screenshot } from './helpers'

const COLOR_SCHEME_KEY = 'netraven.colorScheme' // as in src/layout/colorScheme.ts

interface Place {
  path: string
  heading: string
}

interface Stop {
  name: string
  place: Place | ((page: Page) => Promise<Place>)
}

async function api<T>(page: Page, path: string): Promise<T> {
  const token = await adminToken(page.request)
  const response = await page.request.get(path, { headers: { Authorization: `Bearer ${token}` } })
  expect(response.ok(), `${path}: ${response.status()}`).toBe(true)
  return (await response.json()) as T
}

/** A lab device's page (devices.spec.ts pictures a diff, on a device of its own that drifts). */
async function labDevice(page: Page): Promise<Place> {
  const { items } = await api<{ items: Array<{ id: string }> }>(page, `/api/devices?q=${LAB_HOSTS[0]}`)
  return { path: `/devices/${items[0]!.id}`, heading: LAB_HOSTS[0]! }
}

const STOPS: Stop[] = [
  { name: 'dashboard', place: { path: '/', heading: 'Job Status Dashboard' } },
  { name: 'logs', place: { path: '/logs', heading: 'Logs' } },
  { name: 'jobs', place: { path: '/jobs', heading: 'Jobs' } },
  { name: 'devices', place: { path: '/devices', heading: 'Devices' } },
  { name: 'device', place: labDevice },
  { name: 'search', place: { path: '/search?q=ip%20address', heading: 'Config search' } },
  { name: 'credentials', place: { path: '/credentials', heading: 'Credentials' } },
  { name: 'tags', place: { path: '/tags', heading: 'Tags' } },
  { name: 'platforms', place: { path: '/platforms', heading: 'Platforms' } },
  { name: 'users', place: { path: '/users', heading: 'Users' } },
  { name: 'rejections', place: { path: '/rejections', heading: 'Rejected events' } },
  { name: 'audit', place: { path: '/audit', heading: 'Audit trail' } },
]

async function visit(page: Page, stop: Stop, suffix: string): Promise<void> {
  const { path, heading } = typeof stop.place === 'function' ? await stop.place(page) : stop.place
  await page.goto(path)
  await expect(page.getByRole('heading', { name: heading, exact: true })).toBeVisible()
  await expect(page.getByRole('alert').filter({ hasText: 'Could not load' })).toHaveCount(0)
  await screenshot(page, `tour-${stop.name}${suffix}.png`)
}

test.describe('A tour of every page', () => {
  test.setTimeout(LAB_RUN_TIMEOUT_MS + 120_000)

  test('each page renders in light and dark without errors', async ({ page }) => {
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))

    await page.emulateMedia({ colorScheme: 'light' })
    await page.goto('/login')
    await screenshot(page, 'tour-login.png')
    await openSignedIn(page, '/search')

    for (const scheme of ['light', 'dark'] as const) {
      await page.evaluate(([key, value]) => localStorage.setItem(key!, value!), [COLOR_SCHEME_KEY, scheme])
      for (const stop of STOPS) await visit(page, stop, scheme === 'dark' ? '-dark' : '')
    }
    expect(errors).toEqual([])
  })
})
