import { expect, test } from '@playwright/test'
import { LAB_HOSTS, LAB_RUN_TIMEOUT_MS, openSignedIn, refreshUntil, screenshot } from './helpers'

test.describe('Devices', () => {
  test.setTimeout(LAB_RUN_TIMEOUT_MS + 60_000)

  test('lists the lab, and a device shows its redacted configuration with line numbers', async ({ page }) => {
    await openSignedIn(page, '/devices')
    await expect(page.getByRole('heading', { name: 'Devices' })).toBeVisible()
    const rows = page.getByRole('row')
    for (const host of LAB_HOSTS) await expect(rows.filter({ hasText: host })).toHaveCount(1)

    const first = rows.filter({ hasText: LAB_HOSTS[0] })
    await refreshUntil(page, async () => {
      await expect(first.locator('[data-status="succeeded"]')).toBeVisible({ timeout: 1000 })
    })
    await screenshot(page, 'devices.png')

    await first.getByRole('link', { name: LAB_HOSTS[0] }).click()
    await expect(page).toHaveURL(/\/devices\/[0-9a-f-]+/)
    await expect(page.getByRole('heading', { name: LAB_HOSTS[0] })).toBeVisible()
    await expect(page.getByRole('region', { name: 'Configuration versions' }).getByRole('option')).not.toHaveCount(0)

    const config = page.getByRole('region', { name: 'Configuration text' })
    await expect(config).toContainText(`hostname ${LAB_HOSTS[0]}`)
    const numbers = config.locator('[data-test="line-number"]')
    await expect(numbers.first()).toHaveText('1')
    await expect(numbers.nth(1)).toHaveText('2')

    const text = await config.innerText()
    expect(text).toContain('<redacted>')
    const communities = text.split('\n').filter((line) => /snmp-server community/.test(line))
    expect(communities.length).toBeGreaterThan(0)
    for (const line of communities) expect(line).toMatch(/snmp-server community <redacted>( |$)/)
    expect(text).not.toContain('S3cr3tRO')
    await screenshot(page, 'device-config.png')
  })
})
