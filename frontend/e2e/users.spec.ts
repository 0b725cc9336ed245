import { expect, test } from './csp'
import { openedDialog, openSignedIn, screenshot } from './helpers'

test.describe('Users (admin)', () => {
  test('an admin creates a user, changes its role, and cannot disable the last admin', async ({ page }) => {
    await openSignedIn(page, '/users')
    await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible()
    await expect(page.getByRole('row').filter({ hasText: 'admin' }).first()).toBeVisible()

    const username = `e2e-ui-${Date.now().toString(36)}`
    await page.getByRole('button', { name: 'New user' }).click()
    const dialog = await openedDialog(page, 'New user')
    await dialog.getByLabel('Username').fill(username)
    await dialog.getByLabel('Password', { exact: true }).fill('short')
    await dialog.getByRole('button', { name: 'Create user' }).click()
    await expect(dialog.getByRole('alert')).toContainText('at least 12 characters')

    await dialog.getByLabel('Password', { exact: true }).fill('a-Long-enough-passw0rd')
    await dialog.getByRole('button', { name: 'Create user' }).click()
    await expect(dialog).toBeHidden()

    const row = page.getByRole('row').filter({ hasText: username })
    const role = row.getByRole('combobox', { name: `Role of ${username}` })
    await expect(role).toHaveText('viewer')
    await role.click()
    await page.getByRole('option', { name: 'operator' }).click()
    await expect(page.getByText(`${username} is now operator`)).toBeVisible()

    await page.reload()
    await expect(page.getByRole('row').filter({ hasText: username }).getByRole('combobox')).toHaveText('operator')
    await screenshot(page, 'users.png')

    await page.getByRole('button', { name: 'Disable admin', exact: true }).click()
    await expect(page.getByText('this is the last active admin')).toBeVisible()
    await expect(page.getByRole('button', { name: 'Disable admin', exact: true })).toBeVisible()
  })
})
