import { expect, test } from './csp'
import { LAB_JOB, LAB_RUN_TIMEOUT_MS, openSignedIn, refreshUntil } from './helpers'

const RUN_IN_URL = /[?&]run=([0-9a-f-]{36})/

test.describe('Runs table row actions', () => {
  test.setTimeout(LAB_RUN_TIMEOUT_MS + 60_000)

  test('opens a run, and re-runs it as a new run of the same job', async ({ page }) => {
    await openSignedIn(page, '/')
    const labRun = page.getByRole('row').filter({ hasText: LAB_JOB })
    await refreshUntil(page, async () => {
      await expect(labRun.first().locator('[data-status="succeeded"]')).toBeVisible({ timeout: 1000 })
    })
    const finished = labRun.filter({ has: page.locator('[data-status="succeeded"]') }).first()

    await finished.getByRole('button', { name: `Open ${LAB_JOB}` }).click()
    const dialog = page.getByRole('dialog', { name: `Run of ${LAB_JOB}` })
    await expect(dialog).toBeVisible()
    const opened = RUN_IN_URL.exec(page.url())?.[1]
    expect(opened).toBeTruthy()
    await dialog.getByRole('button', { name: 'Close' }).click()
    await expect(dialog).toBeHidden()

    const runsBefore = await labRun.count()
    await finished.getByRole('button', { name: `Re-run ${LAB_JOB}` }).click()
    await expect(dialog).toBeVisible()
    await expect(page).not.toHaveURL(new RegExp(`run=${opened}`))
    const started = RUN_IN_URL.exec(page.url())?.[1]
    await expect(dialog).toContainText(started!)
    await dialog.getByRole('button', { name: 'Close' }).click()
    await expect(labRun).toHaveCount(runsBefore + 1)
  })

  test('asks before cancelling a queued run and shows why the api refused', async ({ page }) => {
    // A run stays queued only until a worker takes it, too short to click: the list shows a
    // finished run as queued, and the real api answers the cancel of a run that has started.
    await page.route(/\/api\/runs\?/, async (route) => {
      const answer = await route.fetch()
      const body = await answer.json()
      body.items = body.items.map((run: { status: string }, index: number) =>
        index === 0 ? { ...run, status: 'queued', finished_at: null } : run,
      )
      await route.fulfill({ response: answer, json: body })
    })
    await openSignedIn(page, '/')
    const first = page.getByRole('tabpanel').getByRole('row').nth(1)
    await expect(first.locator('[data-status="queued"]')).toBeVisible()

    await first.getByRole('button', { name: /^Cancel / }).click()
    const confirm = page.getByRole('dialog', { name: 'Cancel the run?' })
    await expect(confirm).toContainText('has not started')
    await confirm.getByRole('button', { name: 'Cancel the run' }).click()
    await expect(confirm.locator('[data-test="confirm-error"]')).toContainText(
      'only a queued run can be cancelled',
    )
    await confirm.getByRole('button', { name: 'Cancel', exact: true }).click()
    await expect(confirm).toBeHidden()
  })
})
