import { expect, test } from './csp'
import { LAB_HOSTS, LAB_JOB, LAB_RUN_TIMEOUT_MS, openSignedIn } from './helpers'
import { ADMIN } from './stack'

test.describe('Live run state', () => {
  test.setTimeout(LAB_RUN_TIMEOUT_MS + 60_000)

  test('a run started elsewhere appears and finishes on the open dashboard', async ({ page }) => {
    await openSignedIn(page, '/')
    const total = page.locator('[data-test="summary-total_runs"] [data-test="value"]')
    await expect(total).toHaveText(/^\s*\d+\s*$/)
    const before = Number((await total.textContent())!.trim())
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true))

    // Another client starts the lab job through the API.
    const signIn = await page.request.post('/api/auth/token', { form: { ...ADMIN } })
    const headers = { Authorization: `Bearer ${(await signIn.json()).access_token}` }
    const jobs = await (await page.request.get('/api/jobs', { headers })).json()
    const lab = (jobs.items as Array<{ id: string; name: string }>).find((j) => j.name === LAB_JOB)!
    expect((await page.request.post(`/api/jobs/${lab.id}/run`, { headers })).status()).toBe(202)

    await expect(async () => {
      expect(Number((await total.textContent())!.trim())).toBeGreaterThan(before)
    }).toPass({ timeout: 15_000 })
    const newest = page.getByRole('tabpanel').getByRole('row').filter({ hasText: LAB_JOB }).first()
    const succeeded = newest.locator('[data-status="succeeded"]')
    await expect(succeeded).toBeVisible({ timeout: LAB_RUN_TIMEOUT_MS })
    await expect(newest).toContainText(`of ${LAB_HOSTS.length}`)
    const notReloaded = () => (window as unknown as { notReloaded?: boolean }).notReloaded
    expect(await page.evaluate(notReloaded)).toBe(true)
  })
})
