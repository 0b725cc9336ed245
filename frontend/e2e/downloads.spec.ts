import { readFile } from 'node:fs/promises'
import { expect, test } from './csp'
import { LAB_HOSTS, LAB_RUN_TIMEOUT_MS, openSignedIn, refreshUntil } from './helpers'

test.describe('Config downloads', () => {
  test.setTimeout(LAB_RUN_TIMEOUT_MS + 60_000)

  test('a device config downloads and copies as shown, and every config downloads as a tar.gz', async ({
    page,
    context,
  }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'])
    await openSignedIn(page, '/devices')
    const first = page.getByRole('row').filter({ hasText: LAB_HOSTS[0] })
    await refreshUntil(page, async () => {
      await expect(first.locator('[data-status="succeeded"]')).toBeVisible({ timeout: 1000 })
    })
    await first.getByRole('link', { name: LAB_HOSTS[0] }).click()
    const config = page.getByRole('region', { name: 'Configuration text' })
    await expect(config).toContainText(`hostname ${LAB_HOSTS[0]}`)

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-test="download-config"]').click(),
    ])
    expect(download.suggestedFilename()).toMatch(new RegExp(`^${LAB_HOSTS[0]}-[0-9a-f]{8}\\.cfg$`))
    const saved = await readFile((await download.path())!, 'utf8')
    expect(saved).toContain(`hostname ${LAB_HOSTS[0]}`)
    expect(saved).toContain('<redacted>')

    await page.locator('[data-test="copy-config"]').click()
    await expect(page.getByText('Copied to clipboard')).toBeVisible()
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(saved)

    const [oneVersion] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('region', { name: 'Configuration versions' }).locator('[data-test="download-version"]').first().click(),
    ])
    expect(oneVersion.suggestedFilename()).toMatch(/\.cfg$/)

    await page.goto('/search')
    const [archive] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-test="download-archive"]').click(),
    ])
    expect(archive.suggestedFilename()).toMatch(/^netraven-configs-\d{8}T\d{6}Z\.tar\.gz$/)
    const bytes = await readFile((await archive.path())!)
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]) // gzip
  })
})
