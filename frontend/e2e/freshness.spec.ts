import { expect, test } from './csp'
import { openSignedIn, screenshot } from './helpers'
import { createStaleDevice, type StaleDevice } from './staleDevice'

test.describe('Backup freshness', () => {
  let stale: StaleDevice | null = null

  test.afterEach(async () => {
    await stale?.remove()
    stale = null
  })

  test('the dashboard card shows the stale devices and opens the Devices page filtered to them', async ({ page, request }) => {
    const device = (stale = await createStaleDevice(request))
    await openSignedIn(page, '/')
    const card = page.getByRole('region', { name: 'Backup freshness' })
    const staleCount = card.locator('[data-test="freshness-stale"]')
    await expect(staleCount).toHaveAttribute('data-stale', 'true')
    await expect(staleCount.locator('[data-test="value"]')).not.toHaveText(/^\s*0\s*$/)
    await expect(card.locator('[data-test="bucket-never"] [data-test="value"]')).not.toHaveText(/^\s*0\s*$/)
    await expect(card.locator(`[data-test="freshness-tag-${device.tag}"]`)).toContainText('1 of 1 stale')
    await screenshot(page, 'dashboard-freshness.png')

    await staleCount.click()
    await expect(page).toHaveURL(/\/devices\?stale=true/)
    const rows = page.getByRole('row')
    await expect(rows.filter({ hasText: device.hostname })).toHaveCount(1)
    await expect(rows.filter({ hasText: 'lab-rtr-01' })).toHaveCount(0)
    await expect(page.getByRole('search', { name: 'Filter devices' })).toContainText('Stale')

    await page.reload()
    await expect(page).toHaveURL(/\/devices\?stale=true/)
    await expect(rows.filter({ hasText: device.hostname })).toHaveCount(1)
  })
})
