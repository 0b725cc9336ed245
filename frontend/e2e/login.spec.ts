import { expect, test } from './csp'
import { screenshot, signIn } from './helpers'

test.describe('Signing in', () => {
  test('a wrong password is refused with an error, the right one opens the dashboard', async ({ page }) => {
    await page.goto('/')
    await expect(page).toHaveURL(/\/login$/)
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible()
    await screenshot(page, 'login.png')

    await signIn(page, 'not-the-password')
    await expect(page.getByRole('alert')).toBeVisible()
    await expect(page.getByRole('alert')).not.toBeEmpty()
    await expect(page).toHaveURL(/\/login$/)

    await signIn(page)
    await expect(page).toHaveURL(/\/$/)
    await expect(page.getByRole('heading', { name: 'Job Status Dashboard' })).toBeVisible()
  })

  test('an empty form is refused without asking the server', async ({ page }) => {
    await page.goto('/login')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect(page.getByRole('alert')).toHaveText('Enter your username and password.')
  })
})
