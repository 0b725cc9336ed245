import { type APIRequestContext, type Page } from '@playwright/test'
import { expect, test } from './csp'
import { adminToken } from './accounts'
import { LAB_JOB, LAB_RUN_TIMEOUT_MS, refreshUntil, screenshot } from './helpers'

/** Open `path` with the admin's session cookie already set (login.spec.ts covers the form itself). */
async function openAsAdmin(page: Page, path: string): Promise<void> {
  await adminToken(page.request)
  await page.goto(path)
  await expect(page).not.toHaveURL(/\/login/)
}

/** Start a run of the lab job through the API, as another system would; its run id. */
async function runLabJob(request: APIRequestContext): Promise<string> {
  const headers = { Authorization: `Bearer ${await adminToken(request)}` }
  const jobs = (await (await request.get('/api/jobs', { headers })).json()) as { items: { id: string; name: string }[] }
  const job = jobs.items.find((j) => j.name === LAB_JOB)
  expect(job, `the devstack registers "${LAB_JOB}"`).toBeTruthy()
  const accepted = await request.post(`/api/jobs/${job!.id}/run`, { headers })
  expect(accepted.status()).toBe(202)
  return ((await accepted.json()) as { run_id: string }).run_id
}

const summaryValue = (page: Page, key: string) =>
  page.locator(`[data-test="summary-${key}"] [data-test="value"]`)

test.describe('Live dashboard', () => {
  test.setTimeout(2 * LAB_RUN_TIMEOUT_MS + 60_000)

  test('a new run shows up live: log lines stream in and the run turns succeeded without a refresh', async ({
    page,
  }) => {
    await openAsAdmin(page, '/')
    const labRuns = page.getByRole('row').filter({ hasText: LAB_JOB })
    // The scheduler's start-up run first, so the counts below move only because of ours.
    await refreshUntil(page, async () => {
      await expect(labRuns.first().locator('[data-status="succeeded"]')).toBeVisible({ timeout: 1000 })
      await expect(summaryValue(page, 'running')).toHaveText('0', { timeout: 1000 })
    })
    const runsBefore = Number(await summaryValue(page, 'total_runs').textContent())

    await page.getByRole('tab', { name: 'Unified Logs' }).click()
    const status = page.getByRole('status').filter({ hasText: /Live|Paused|Connecting|Reconnecting/ })
    await expect(status).toHaveText('Live')

    const runId = await runLabJob(page.request)
    // Run links in the log table show the run id's first 8 characters.
    const liveLine = page.locator('[data-test="logs-table"]').getByRole('row').filter({ hasText: runId.slice(0, 8) })
    await expect(liveLine.first()).toBeVisible({ timeout: LAB_RUN_TIMEOUT_MS })
    await expect(status).toHaveText('Live')
    await screenshot(page, 'dashboard-live-logs.png')

    await page.getByRole('tab', { name: 'Job Runs' }).click()
    // No Refresh click from here on: the run's log lines refresh the counts and the table.
    // (At least one more: a job another spec scheduled may have started a run too.)
    await expect
      .poll(async () => Number(await summaryValue(page, 'total_runs').textContent()), { timeout: LAB_RUN_TIMEOUT_MS })
      .toBeGreaterThan(runsBefore)
    await expect(labRuns.first().locator('[data-status="succeeded"]')).toBeVisible({ timeout: LAB_RUN_TIMEOUT_MS })
    await expect(summaryValue(page, 'running')).toHaveText('0')

    // The log line's run link opens the run's per-device detail (/?run=<id>).
    await page.getByRole('tab', { name: 'Unified Logs' }).click()
    await liveLine.first().getByRole('link', { name: runId.slice(0, 8) }).click()
    await expect(page).toHaveURL(new RegExp(`run=${runId}`))
    const dialog = page.getByRole('dialog', { name: `Run of ${LAB_JOB}` })
    await expect(dialog).toContainText(runId)
    await expect(dialog.locator('[data-status="succeeded"]').first()).toBeVisible()
  })

  test('pausing stops new lines; resuming brings the ones missed', async ({ page }) => {
    await openAsAdmin(page, '/logs')
    await expect(page.getByRole('heading', { name: 'Logs', exact: true })).toBeVisible()
    const status = page.getByRole('status').filter({ hasText: /Live|Paused|Connecting|Reconnecting/ })
    await expect(status).toHaveText('Live')

    await page.getByRole('button', { name: 'Pause live' }).click()
    await expect(status).toHaveText('Paused')
    const runId = await runLabJob(page.request)
    const lines = page.locator('[data-test="logs-table"]').getByRole('row').filter({ hasText: runId.slice(0, 8) })
    // The worker logs within seconds; while paused none of it reaches the table.
    await page.waitForTimeout(5000)
    await expect(lines).toHaveCount(0)

    await page.getByRole('button', { name: 'Resume live' }).click()
    await expect(status).toHaveText('Live')
    await expect(lines.first()).toBeVisible({ timeout: LAB_RUN_TIMEOUT_MS })
  })

  test('log and run filters live in the URL and survive a reload', async ({ page }) => {
    await openAsAdmin(page, '/?tab=logs')
    await page.getByRole('combobox', { name: 'Filter by level' }).click()
    await page.getByRole('option', { name: 'Info' }).click()
    await page.getByRole('textbox', { name: 'Search log messages' }).fill('lab-rtr-01')
    await expect(page).toHaveURL(/level=info/)
    await expect(page).toHaveURL(/text=lab-rtr-01/)

    await page.reload()

    await expect(page.getByRole('tab', { name: 'Unified Logs', selected: true })).toBeVisible()
    await expect(page.getByRole('textbox', { name: 'Search log messages' })).toHaveValue('lab-rtr-01')
    await expect(page.getByRole('combobox', { name: 'Filter by level' })).toHaveText('Info')
    const rows = page.locator('[data-test="logs-table"]').locator('tbody tr')
    await expect(rows.first()).toContainText('lab-rtr-01')
    for (const row of await rows.all()) await expect(row).toContainText('lab-rtr-01')

    await page.getByRole('tab', { name: 'Job Runs' }).click()
    await page.getByRole('combobox', { name: 'Filter by status' }).click()
    await page.getByRole('option', { name: 'Cancelled' }).click()
    await expect(page).toHaveURL(/status=cancelled/)
    await page.reload()
    await expect(page.getByRole('combobox', { name: 'Filter by status' })).toHaveText('Cancelled')
    const runsPanel = page.getByRole('tabpanel')
    await expect(runsPanel.locator('tbody')).toBeVisible()
    await expect(runsPanel.locator('tbody [data-status]:not([data-status="cancelled"])')).toHaveCount(0)
    // The logs' filters stayed while the runs' were added.
    await expect(page).toHaveURL(/text=lab-rtr-01/)
  })
})
