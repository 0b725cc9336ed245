import { expect, test } from './csp'
import { LAB_HOSTS, LAB_JOB, LAB_RUN_TIMEOUT_MS, openSignedIn, refreshUntil, screenshot } from './helpers'

test.describe('Job Status Dashboard', () => {
  test.setTimeout(LAB_RUN_TIMEOUT_MS + 60_000)

  test('shows the lab run succeeded, its per-device results and the unified logs', async ({ page }) => {
    await openSignedIn(page, '/')
    await expect(page.getByRole('heading', { name: 'Job Status Dashboard' })).toBeVisible()

    const labRun = page.getByRole('row').filter({ hasText: LAB_JOB })
    await refreshUntil(page, async () => {
      await expect(labRun.first().locator('[data-status="succeeded"]')).toBeVisible({ timeout: 1000 })
    })
    await expect(labRun.first()).toContainText(`of ${LAB_HOSTS.length}`)

    const summary = page.getByRole('region', { name: 'Job run summary, last 24 h' })
    for (const card of ['Runs', 'Running', 'Succeeded', 'Failed', 'Cancelled']) await expect(summary).toContainText(card)
    await expect(summary.locator('[data-test="summary-succeeded"] [data-test="value"]')).not.toHaveText(/^\s*0\s*$/)
    await expect(summary.locator('[data-test="summary-failed"] [data-test="value"]')).toHaveText('0')
    await screenshot(page, 'dashboard.png')

    await labRun.first().click()
    const dialog = page.getByRole('dialog', { name: `Run of ${LAB_JOB}` })
    await expect(dialog).toBeVisible()
    for (const host of LAB_HOSTS) {
      await expect(dialog.getByRole('row').filter({ hasText: host }).locator('[data-status="succeeded"]')).toBeVisible()
    }
    await screenshot(page, 'dashboard-run.png')
    await dialog.getByRole('button', { name: 'Close' }).click()
    await expect(dialog).toBeHidden()

    await page.getByRole('tab', { name: 'Unified Logs' }).click()
    await expect(page).toHaveURL(/tab=logs/)
    const logRows = page.getByRole('tabpanel').getByRole('row')
    await expect(logRows.filter({ hasText: 'worker' }).first()).toBeVisible()
    await expect(logRows.filter({ hasText: 'gitkeeper' }).first()).toBeVisible()
    await screenshot(page, 'dashboard-logs.png')
  })
})
