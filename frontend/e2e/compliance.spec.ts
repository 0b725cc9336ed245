import { expect, test } from './csp'
import { LAB_RUN_TIMEOUT_MS, openSignedIn, openedDialog } from './helpers'

test.describe('Compliance page', () => {
  test.setTimeout(LAB_RUN_TIMEOUT_MS + 60_000)

  test('an admin adds a rule, checks the lab fleet, and sees the counts and the failing devices', async ({ page }) => {
    const name = `e2e-ssh-v2-${Date.now()}`
    await openSignedIn(page, '/compliance')
    await expect(page.getByRole('heading', { name: 'Compliance' })).toBeVisible()

    await page.getByRole('button', { name: 'New rule' }).click()
    const dialog = await openedDialog(page, 'New compliance rule')
    await dialog.getByLabel('Name', { exact: true }).fill(name)
    await dialog.getByLabel('Pattern', { exact: true }).fill('ip ssh version 2')
    await dialog.getByRole('button', { name: 'Create rule' }).click()
    await expect(dialog).toBeHidden()
    const row = page.getByRole('row').filter({ hasText: name })
    await expect(row).toContainText('must contain')

    // The lab job runs at start-up; check again until its configs are stored and counted.
    const counts = row.getByRole('button', { name: `Failing devices of ${name}` })
    await expect(async () => {
      await page.getByRole('button', { name: 'Check fleet now' }).click()
      await expect(page.getByTestId('check-progress')).toContainText('done.', { timeout: 20_000 })
      const [passed, failed] = (await counts.innerText()).split('/').map((n) => Number(n.trim()))
      expect(passed).toBeGreaterThan(0)
      expect(failed).toBeGreaterThan(0) // the PAN-OS and Junos lab devices keep XML, without the line
    }).toPass({ timeout: LAB_RUN_TIMEOUT_MS, intervals: [2000, 5000] })

    await counts.click()
    const failing = page.getByRole('region', { name: `Failing ${name}` })
    await expect(failing).toContainText('lab-panos-01')
    await expect(failing).toContainText('missing from config')

    await row.getByRole('button', { name: `Delete ${name}` }).click()
    await page.getByRole('dialog', { name: 'Delete?' }).getByRole('button', { name: 'Delete' }).click()
    await expect(page.getByRole('row').filter({ hasText: name })).toHaveCount(0)
  })
})
