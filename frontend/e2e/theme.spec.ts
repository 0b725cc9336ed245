import { type Page } from '@playwright/test'
import { expect, test } from './csp'
import { openSignedIn, screenshot } from './helpers'

const ZINC_950 = 'rgb(9, 9, 11)' // the dark page background
const SLATE_50 = 'rgb(248, 250, 252)' // the light one
const ZINC_900 = 'rgb(24, 24, 27)' // PrimeVue's dark content background, behind every card

const background = (page: Page, selector: string) =>
  page.locator(selector).first().evaluate((el) => getComputedStyle(el).backgroundColor)

test.describe('Light and dark themes', () => {
  test('follow the system until the topbar toggle is used, and the choice is remembered', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'dark' })
    await openSignedIn(page, '/users')
    await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible()
    await expect(page.locator('html')).toHaveClass(/app-dark/)
    expect(await background(page, 'body')).toBe(ZINC_950)
    // PrimeVue's tokens switch with the same class as Tailwind's dark variant.
    expect(await background(page, 'header')).toBe(ZINC_900)
    await screenshot(page, 'users-dark.png')

    await page.getByRole('button', { name: 'Switch to light theme' }).click()
    await expect(page.locator('html')).not.toHaveClass(/app-dark/)
    expect(await background(page, 'body')).toBe(SLATE_50)
    expect(await background(page, 'header')).toBe('rgb(255, 255, 255)')

    await page.reload()
    await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible()
    await expect(page.locator('html')).not.toHaveClass(/app-dark/)
    await expect(page.getByRole('button', { name: 'Switch to dark theme' })).toBeVisible()
  })
})
