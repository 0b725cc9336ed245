import { expect, test } from './csp'
import { LAB_RUN_TIMEOUT_MS, openSignedIn, refreshUntil } from './helpers'

test.describe('Git mirrors panel', () => {
  test.setTimeout(LAB_RUN_TIMEOUT_MS + 60_000)

  test('shows the mirror up to date once the lab backup is pushed', async ({ page }) => {
    await openSignedIn(page, '/')
    const panel = page.getByRole('region', { name: 'Git mirrors' })
    const mirror = panel.getByRole('row').filter({ hasText: 'mirror.git' })
    await refreshUntil(page, async () => {
      await expect(mirror.locator('[data-status="ok"]')).toBeVisible({ timeout: 1000 })
    })
    await expect(mirror.locator('[data-test="remote"]')).toContainText(/^file:\/\/.*mirror\.git · main$/)
    await expect(mirror.locator('[data-test="waiting"]')).toHaveText('0')
    await expect(mirror.locator('[data-test="pushed-commit"]')).toHaveText(/^[0-9a-f]{10}$/)
    await expect(panel.locator('[data-test="mirrors-summary"]')).toHaveText('1 of 1 up to date')
  })
})
