import { type Page } from '@playwright/test'
import { expect, test } from './csp'
import { openSignedIn, signIn } from './helpers'

const TOKEN_KEY = 'netraven.token'

async function expectSignInRemembering(page: Page, path: string): Promise<void> {
  await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('redirect') === path)
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible()
}

test.describe('An expired session', () => {
  test('a rejected token on opening a page leads to sign-in, then back to that page', async ({ page }) => {
    await openSignedIn(page, '/devices')
    await page.evaluate((key) => localStorage.setItem(key, 'garbage.token.value'), TOKEN_KEY)

    await page.goto('/devices?q=lab')
    await expectSignInRemembering(page, '/devices?q=lab')
    expect(await page.evaluate((key) => localStorage.getItem(key), TOKEN_KEY)).toBeNull()

    await signIn(page)
    await expect(page).toHaveURL(/\/devices\?q=lab$/)
    await expect(page.getByRole('heading', { name: 'Devices' })).toBeVisible()
  })

  test('a 401 while using a page leads to sign-in, remembering the page', async ({ page }) => {
    await openSignedIn(page, '/?tab=logs')
    await expect(page.getByRole('heading', { name: 'Job Status Dashboard' })).toBeVisible()

    // From now on the real API sees a token it did not issue, as after a key rotation.
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
})
