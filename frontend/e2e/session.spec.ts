import { type Page } from '@playwright/test'
import { expect, test } from './csp'
import { openSignedIn, signIn } from './helpers'

async function expectSignInRemembering(page: Page, path: string): Promise<void> {
  await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('redirect') === path)
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible()
}

test.describe('The browser session', () => {
  test('survives a reload through the refresh cookie; the token stays out of storage', async ({ page }) => {
    await openSignedIn(page, '/devices')
    await expect(page.getByRole('heading', { name: 'Devices' })).toBeVisible()

    await page.reload()
    await expect(page).toHaveURL(/\/devices$/)
    await expect(page.getByRole('heading', { name: 'Devices' })).toBeVisible()

    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }))
    expect(stored).not.toMatch(/eyJ/) // every JWT starts so
    const cookies = await page.context().cookies()
    expect(cookies.find((c) => c.name === 'netraven_refresh')).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
      path: '/api/auth',
    })
  })

  test('Sign out forgets it: a reload shows the sign-in page', async ({ page }) => {
    await openSignedIn(page, '/')
    await page.locator('[data-test="sign-out"]').click()
    await expect(page).toHaveURL(/\/login$/)

    await page.goto('/devices')
    await expectSignInRemembering(page, '/devices')
    expect((await page.context().cookies()).map((c) => c.name)).not.toContain('netraven_refresh')
  })
})

test.describe('An ended session', () => {
  test('on opening a page leads to sign-in, then back to that page', async ({ page }) => {
    await openSignedIn(page, '/devices')
    // As when the session outlived NETRAVEN_SESSION_MAX_HOURS: the browser holds no valid refresh cookie.
    await page.context().clearCookies()

    await page.goto('/devices?q=lab')
    await expectSignInRemembering(page, '/devices?q=lab')

    await signIn(page)
    await expect(page).toHaveURL(/\/devices\?q=lab$/)
    await expect(page.getByRole('heading', { name: 'Devices' })).toBeVisible()
  })

  test('a 401 while using a page leads to sign-in, remembering the page', async ({ page }) => {
    await openSignedIn(page, '/?tab=logs')
    await expect(page.getByRole('heading', { name: 'Job Status Dashboard' })).toBeVisible()

    // From now on the real API sees a token it did not issue, as after a key rotation; the renewal the
    // dashboard tries once carries it too, so it fails as well.
    await page.route('**/api/**', (route) =>
      route.continue({ headers: { ...route.request().headers(), authorization: 'Bearer garbage.token.value' } }),
    )
    // Any API call now answers 401: the Refresh click's, or a live refresh that reaches the server first
    // and signs the page out under the click (the click then finds no button: the sign-in below is the check).
    const refreshed = page.getByRole('button', { name: 'Refresh' }).click().catch(() => undefined)
    await Promise.race([refreshed, page.waitForURL((url) => url.pathname === '/login')])
    await expectSignInRemembering(page, '/?tab=logs')
    await page.unroute('**/api/**')

    await signIn(page)
    await expect(page).toHaveURL(/\/\?tab=logs$/)
    await expect(page.getByRole('tab', { name: 'Unified Logs', selected: true })).toBeVisible()
  })

  test('an expired token is renewed from the cookie without the user noticing', async ({ page }) => {
    await openSignedIn(page, '/devices')
    await expect(page.getByRole('heading', { name: 'Devices' })).toBeVisible()

    // The next call carries a token the server refuses once, as one that expired while the laptop slept.
    let refused = 0
    await page.route('**/api/devices**', async (route) => {
      if (refused++ > 0) return route.continue()
      await route.continue({ headers: { ...route.request().headers(), authorization: 'Bearer expired.token.value' } })
    })
    const renewal = page.waitForResponse((r) => r.url().endsWith('/api/auth/refresh'))
    await page.getByRole('button', { name: 'Refresh' }).click()

    expect((await renewal).status()).toBe(200)
    await expect(page).toHaveURL(/\/devices$/)
    await expect(page.getByRole('alert').filter({ hasText: 'Could not load' })).toHaveCount(0)
    expect(refused).toBeGreaterThanOrEqual(2)
  })
})
