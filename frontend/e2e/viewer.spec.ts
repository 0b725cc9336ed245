import { type Page } from '@playwright/test'
import { expect, test } from './csp'
import { createAccount, openSignedInAs } from './accounts'
import { LAB_HOSTS, screenshot } from './helpers'

/** Buttons that change something: a viewer must see none of them. */
const CHANGING = /^(new|add|create|edit|delete|remove|run|back ?up|check|import|disable|enable|save)\b/i

async function expectNoChangingButtons(page: Page): Promise<void> {
  await expect(page.locator('.p-skeleton, .p-datatable-mask')).toHaveCount(0)
  await expect(page.getByRole('button', { name: CHANGING })).toHaveCount(0)
}

test.describe('A viewer', () => {
  test('sees every page without a way to change anything, and no admin pages', async ({ page, request }) => {
    const viewer = await createAccount(request, 'viewer')
    await openSignedInAs(page, viewer, '/')

    await expect(page.getByRole('heading', { name: 'Job Status Dashboard' })).toBeVisible()
    await expect(page.locator('[data-test="signed-in-role"]')).toHaveText('viewer')
    await expectNoChangingButtons(page)

    const nav = page.getByRole('navigation', { name: 'Main' })
    await expect(nav.getByRole('link', { name: 'Devices' })).toBeVisible()
    await expect(nav.getByRole('link', { name: 'Config search' })).toBeVisible()
    await expect(nav.getByRole('link', { name: 'Credentials' })).toHaveCount(0)
    await expect(nav.getByRole('link', { name: 'Users' })).toHaveCount(0)
    await expect(nav.getByRole('link', { name: 'Rejected events' })).toHaveCount(0)

    await nav.getByRole('link', { name: 'Devices' }).click()
    await expect(page.getByRole('heading', { name: 'Devices' })).toBeVisible()
    await expect(page.getByRole('row').filter({ hasText: LAB_HOSTS[0] })).toHaveCount(1)
    await expectNoChangingButtons(page)

    await page.getByRole('link', { name: LAB_HOSTS[0] }).click()
    await expect(page.getByRole('heading', { name: LAB_HOSTS[0] })).toBeVisible()
    await expectNoChangingButtons(page)

    await nav.getByRole('link', { name: 'Jobs' }).click()
    await expect(page).toHaveURL(/\/jobs$/)
    await expect(page.getByRole('row').filter({ hasText: 'Lab backup' }).first()).toBeVisible()
    await expectNoChangingButtons(page)

    await page.goto('/users')
    await expect(page).toHaveURL(/\/unauthorized$/)
    await expect(page.getByRole('heading', { name: 'Access denied' })).toBeVisible()
    await screenshot(page, 'unauthorized.png')
  })
})
