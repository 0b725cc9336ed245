import { type Page } from '@playwright/test'
import { expect, test } from './csp'
import { openedDialog, openSignedIn } from './helpers'

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f'

async function createCredential(page: Page, name: string): Promise<void> {
  await openSignedIn(page, '/credentials')
  await page.getByRole('button', { name: 'New credential' }).click()
  const dialog = await openedDialog(page, 'New credential')
  await dialog.getByLabel('Name', { exact: true }).fill(name)
  await dialog.getByLabel('Username', { exact: true }).fill('jump')
  await dialog.getByLabel('Password', { exact: true }).fill(`Bastion-${Date.now()}`)
  await dialog.getByRole('button', { name: 'Create credential' }).click()
  await expect(dialog).toBeHidden()
}

test.describe('Jump hosts page', () => {
  test('an admin adds a bastion from its known_hosts line, sees its pinned key, and deletes it', async ({ page }) => {
    const credential = `e2e-jump-cred-${Date.now()}`
    const name = `e2e-bastion-${Date.now()}`
    await createCredential(page, credential)

    await page.goto('/jump-hosts')
    await expect(page.getByRole('heading', { name: 'Jump hosts' })).toBeVisible()
    await page.getByRole('button', { name: 'New jump host' }).click()
    const dialog = await openedDialog(page, 'New jump host')
    await dialog.getByLabel('Name', { exact: true }).fill(name)
    await dialog.getByLabel('Address', { exact: true }).fill('10.0.0.5')
    await dialog.getByRole('button', { name: 'Create jump host' }).click()
    await expect(dialog.locator('[data-test="field-error"]')).toContainText([
      'Choose the credential that logs in to it',
      'Paste its host key: the bastion is never trusted on first use',
    ])
    await dialog.getByRole('combobox', { name: 'Credential' }).click()
    const overlay = page.locator('.p-select-overlay')
    await overlay.getByRole('searchbox').fill(credential)
    await overlay.getByRole('option', { name: credential, exact: true }).click()
    await dialog.getByLabel('Host key', { exact: true }).fill(`10.0.0.5 ${KEY}`)
    await dialog.getByRole('button', { name: 'Create jump host' }).click()
    await expect(dialog).toBeHidden()

    const row = page.getByRole('row').filter({ hasText: name })
    await expect(row).toContainText('10.0.0.5:22')
    await expect(row).toContainText('ssh-ed25519 SHA256:')
    await expect(row).toContainText('Unused')

    await row.getByRole('button', { name: `Delete ${name}` }).click()
    await page.getByRole('dialog', { name: 'Delete?' }).getByRole('button', { name: 'Delete' }).click()
    await expect(page.getByRole('row').filter({ hasText: name })).toHaveCount(0)
  })
})
