import { expect, test } from './csp'
import { LAB_CLI_HOSTS, LAB_RUN_TIMEOUT_MS, openSignedIn, screenshot } from './helpers'

test.describe('Config search', () => {
  test.setTimeout(LAB_RUN_TIMEOUT_MS + 60_000)

  test('finds a line in every lab IOS config, highlighted in context, but never a secret', async ({ page }) => {
    await openSignedIn(page, '/search')
    await expect(page.getByRole('heading', { name: 'Config search' })).toBeVisible()
    const box = page.getByRole('textbox', { name: 'Text to find in configs' })

    // The lab's first backup is running at start-up: search until every device's config is stored.
    await expect(async () => {
      await box.fill('SNMP-Server Location')
      await page.getByRole('button', { name: 'Search', exact: true }).click()
      await expect(page.getByRole('region', { name: /^Matches in / })).toHaveCount(LAB_CLI_HOSTS.length, { timeout: 2000 })
    }).toPass({ timeout: LAB_RUN_TIMEOUT_MS, intervals: [2000] })
    await expect(page).toHaveURL(/\?q=SNMP-Server\+Location$/)

    const first = page.getByRole('region', { name: `Matches in ${LAB_CLI_HOSTS[0]}` })
    const match = first.locator('[data-test="match-line"]')
    await expect(match).toHaveCount(1)
    await expect(match).toContainText('snmp-server location Lab site')
    await expect(match.locator('mark')).toHaveText('snmp-server location')
    await expect(first.locator('[data-test="context-line"]')).not.toHaveCount(0)
    await screenshot(page, 'search.png')

    await first.getByRole('link', { name: LAB_CLI_HOSTS[0] }).click()
    await expect(page).toHaveURL(/\/devices\/[0-9a-f-]+\?commit=[0-9a-f]+/)
    await expect(page.getByRole('heading', { name: LAB_CLI_HOSTS[0] })).toBeVisible()

    await page.goto('/search?q=S3cr3tRO')
    await expect(page.getByText("No device's latest config contains")).toBeVisible()
  })
})
