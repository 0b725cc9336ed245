import { expect, test } from './csp'
import { openedDialog, openSignedIn } from './helpers'

test.describe('Notifications page', () => {
  test('an admin adds a webhook, sees its signing key once, routes events to it and tries it', async ({ page }) => {
    const channel = `e2e-hook-${Date.now()}`
    const rule = `e2e-rule-${Date.now()}`
    await openSignedIn(page, '/notifications')
    await expect(page.getByRole('heading', { name: 'Notifications' })).toBeVisible()

    await page.getByRole('button', { name: 'New channel' }).click()
    const dialog = await openedDialog(page, 'New channel')
    await dialog.getByLabel('Name', { exact: true }).fill(channel)
    await dialog.getByRole('button', { name: 'Webhook' }).click()
    await dialog.getByLabel('URL', { exact: true }).fill('https://hooks.example.net/netraven?token=e2e-url-token')
    await dialog.getByRole('button', { name: 'Create channel' }).click()
    const created = await openedDialog(page, 'Channel created')
    const key = await created.locator('[data-test="signing-key"]').inputValue()
    expect(key.length).toBeGreaterThanOrEqual(32)
    await created.getByRole('button', { name: 'I have copied it' }).click()
    await expect(created).toBeHidden()

    const row = page.getByRole('row').filter({ hasText: channel })
    await expect(row).toContainText('https://hooks.example.net')
    await expect(page.locator('body')).not.toContainText('e2e-url-token')
    await expect(page.locator('body')).not.toContainText(key)

    await page.getByRole('button', { name: 'New rule' }).click()
    const editor = await openedDialog(page, 'New rule')
    await editor.getByLabel('Name', { exact: true }).fill(rule)
    await editor.getByRole('combobox', { name: 'Channel' }).click()
    await page.locator('.p-select-overlay').getByRole('option', { name: channel, exact: true }).click()
    await editor.getByRole('button', { name: 'Create rule' }).click()
    await expect(editor).toBeHidden()
    await expect(page.getByRole('row').filter({ hasText: rule })).toContainText(channel)

    await row.getByRole('button', { name: `Delivery log ${channel}` }).click()
    await expect(page.getByText(`Delivery log: ${channel}`)).toBeVisible()
    await expect(page.getByText('Nothing sent through this channel yet.')).toBeVisible()

    // with no notifier in the stack the answer is the 503; with one, the channel's answer
    await row.getByRole('button', { name: `Send test ${channel}` }).click()
    await expect(page.locator('[data-test="test-result"]')).toContainText(
      new RegExp(`Test through ${channel}: (no notifier answered|the channel)`),
    )

    await row.getByRole('button', { name: `Delete ${channel}` }).click()
    await page.getByRole('dialog', { name: 'Delete?' }).getByRole('button', { name: 'Delete' }).click()
    await expect(page.getByRole('row').filter({ hasText: channel })).toHaveCount(0)
    await expect(page.getByRole('row').filter({ hasText: rule })).toHaveCount(0)
  })
})
