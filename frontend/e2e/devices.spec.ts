import { type Page } from '@playwright/test'
import { expect, test } from './csp'
import { startDriftingLab, type DriftingLab } from './driftingLab'
import { LAB_HOSTS, LAB_RUN_TIMEOUT_MS, openSignedIn, openedDialog, refreshUntil, screenshot } from './helpers'

const DRIFTING = 'e2e-drift-01'

/** Click "Run backup now" and wait for the banner to say the backup succeeded. */
async function backUpNow(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Run backup now' }).click()
  const banner = page.locator('[data-test="run-progress"]').filter({ hasText: 'backup' })
  await expect(banner).toContainText('The backup finished', { timeout: LAB_RUN_TIMEOUT_MS })
  await expect(banner.locator('[data-status="succeeded"]')).toBeVisible()
}

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

    const hostKey = page.getByRole('region', { name: /SSH host key/ })
    await expect(hostKey).toContainText('Pinned')
    await expect(hostKey.locator('[data-test="pinned-key"]')).toContainText('Pinned on first use')
    await expect(hostKey.locator('[data-test="fingerprint"]')).toHaveText(/^SHA256:[A-Za-z0-9+/]{43}$/)
    await expect(hostKey.getByRole('button', { name: 'Accept new key' })).toHaveCount(0)
    await hostKey.scrollIntoViewIfNeeded()
    await screenshot(page, 'device-host-key.png')
  })
})

test.describe('Managing a device', () => {
  test.setTimeout(LAB_RUN_TIMEOUT_MS * 2 + 60_000)
  let lab: DriftingLab

  test.beforeAll(async () => {
    lab = await startDriftingLab()
  })
  test.afterAll(async () => {
    await lab?.stop()
  })

  test('add a device, back it up from its page, compare two versions, check reachability, delete it', async ({ page }) => {
    await openSignedIn(page, '/devices')
    await page.getByRole('button', { name: 'Add device' }).click()
    const form = await openedDialog(page, 'Add a device')
    await expect(form.getByLabel('Hostname')).toBeFocused()
    await form.getByLabel('Hostname').fill(DRIFTING)
    await form.getByLabel('Address (IP or DNS name)').fill('127.0.0.1')
    await form.getByLabel('Port', { exact: true }).fill('not a port')
    await form.getByRole('button', { name: 'Add device' }).click()
    await expect(form.locator('[data-test="field-error"]')).toHaveText(['A port is between 1 and 65535.'])
    await form.getByLabel('Port', { exact: true }).fill(String(lab.port))
    await form.getByLabel('Timeout (seconds)').fill('20')
    await form.getByLabel('Tags').fill('lab')
    await page.locator('.p-autocomplete-overlay').getByRole('option', { name: 'lab', exact: true }).click()
    await expect(form.locator('.p-autocomplete-chip')).toHaveText(['lab'])
    await screenshot(page, 'device-form.png')
    await form.getByRole('button', { name: 'Add device' }).click()
    await expect(form).toBeHidden()

    await page.getByLabel('Search devices').fill('e2e-drift')
    await expect(page).toHaveURL(/[?&]q=e2e-drift/)
    const row = page.getByRole('row').filter({ hasText: DRIFTING })
    await expect(row).toHaveCount(1)
    await expect(row.locator('[data-status="unknown"]')).toBeVisible()
    await row.getByRole('link', { name: DRIFTING }).click()

    await expect(page.getByRole('heading', { name: DRIFTING })).toBeVisible()
    await expect(page.locator('[data-test="ssh-options"]')).toContainText('timeout 20 s')
    await backUpNow(page)
    const runLink = page.locator('[data-test="run-link"]').first()
    await expect(runLink).toHaveAttribute('href', /\/\?run=[0-9a-f-]+/)
    const config = page.getByRole('region', { name: 'Configuration text' })
    await expect(config).toContainText('description lab revision')

    // The device changes its configuration every 2 s: back up until a second version is stored.
    const versions = page.getByRole('region', { name: 'Configuration versions' }).getByRole('option')
    await expect(async () => {
      await backUpNow(page)
      await expect(versions).toHaveCount(2, { timeout: 1000 })
    }).toPass({ timeout: LAB_RUN_TIMEOUT_MS, intervals: [2500] })

    await page.getByRole('button', { name: 'Compare versions' }).click()
    await expect(page).toHaveURL(/view=compare/)
    const split = page.getByRole('region', { name: 'Side-by-side diff' })
    await expect(split.locator('[data-side="old"][data-kind="removed"]')).toContainText('description lab revision')
    await expect(split.locator('[data-side="new"][data-kind="added"]')).toContainText('description lab revision')
    await expect(page.locator('[data-test="diff-summary"]')).toContainText('+1')
    await screenshot(page, 'device-diff-split.png')

    await page.getByRole('button', { name: 'Inline' }).click()
    await expect(page).toHaveURL(/layout=inline/)
    const inline = page.getByRole('region', { name: 'Inline diff' })
    await expect(inline.locator('tr[data-kind="removed"]')).toHaveCount(1)
    await expect(inline.locator('tr[data-kind="added"]')).toHaveCount(1)
    await screenshot(page, 'device-diff-inline.png')

    await page.getByRole('button', { name: 'Check reachability' }).click()
    const reach = page.locator('[data-test="run-progress"]').filter({ hasText: 'reachability check' })
    await expect(reach).toContainText('finished', { timeout: LAB_RUN_TIMEOUT_MS })
    await expect(reach.locator('[data-status="succeeded"]')).toBeVisible()
    await expect(page.locator('[data-test="reachability"] [data-status="reachable"]')).toBeVisible()

    await page.goto(`/devices?q=${DRIFTING}`)
    await page.getByRole('button', { name: `Delete ${DRIFTING}` }).click()
    const confirm = page.getByRole('dialog', { name: 'Delete device' })
    await confirm.getByRole('button', { name: 'Delete' }).click()
    await expect(confirm).toBeHidden()
    await expect(page.getByText('No devices match these filters.')).toBeVisible()
  })
})
