import { type Page } from '@playwright/test'
import { expect, test } from './csp'
import { LAB_HOSTS, LAB_RUN_TIMEOUT_MS, openedDialog, openSignedIn, screenshot } from './helpers'
import { ADMIN } from './stack'

const LAB_TAG = 'lab'

/** Pick `option` in the PrimeVue (Multi)Select whose input has the label `label`. */
async function choose(page: Page, label: string, option: string, filter = option): Promise<void> {
  const input = page.getByLabel(label, { exact: true })
  await input.locator('xpath=ancestor::div[contains(@class, "p-multiselect") or contains(@class, "p-select")][1]').click()
  const overlay = page.locator('.p-multiselect-overlay, .p-select-overlay')
  await overlay.getByRole('searchbox').fill(filter)
  await overlay.getByRole('option', { name: option, exact: true }).first().click()
  await page.keyboard.press('Escape')
  await expect(overlay).toBeHidden()
}

test.describe('Jobs page', () => {
  test.setTimeout(LAB_RUN_TIMEOUT_MS + 60_000)

  test('creates a cron job on the lab tag, previews it, runs it now and opens the run', async ({ page }) => {
    const name = `Lab cron ${Date.now()}`
    await openSignedIn(page, '/jobs')
    await expect(page.getByRole('heading', { name: 'Jobs' })).toBeVisible()

    await page.getByRole('button', { name: 'New job' }).click()
    const dialog = await openedDialog(page, 'New job')
    await dialog.getByLabel('Name', { exact: true }).fill(name)
    await choose(page, 'Tags', LAB_TAG)
    await dialog.getByRole('radio', { name: 'Cron' }).or(dialog.getByRole('button', { name: 'Cron' })).first().click()
    await dialog.getByLabel('Cron expression', { exact: true }).fill('30 2 * * 1-5')
    await choose(page, 'Timezone', 'Asia/Tokyo', 'Tokyo')

    const preview = dialog.getByRole('region', { name: 'Schedule preview' })
    await expect(preview.getByText('At 02:30, Monday through Friday (Asia/Tokyo)')).toBeVisible()
    const nextRuns = preview.locator('[data-test="next-runs"] li')
    await expect(nextRuns).toHaveCount(5)
    // The browser runs in UTC: 02:30 in Tokyo is 17:30 UTC the day before.
    await expect(nextRuns.first()).toContainText('17:30')
    await expect(nextRuns.first()).toContainText('02:30')
    await screenshot(page, 'jobs-editor.png')

    await dialog.getByLabel('Cron expression', { exact: true }).fill('30 2 * *')
    await expect(dialog.getByText('A cron expression has 5 fields')).toBeVisible()
    await dialog.getByLabel('Cron expression', { exact: true }).fill('30 2 * * 1-5')
    await dialog.getByRole('button', { name: 'Create job' }).click()
    await expect(dialog).toBeHidden()

    const row = page.getByRole('row').filter({ hasText: name })
    await expect(row).toContainText('At 02:30, Monday through Friday (Asia/Tokyo)')
    await expect(row).toContainText(LAB_TAG)
    await expect(row).toContainText('Never')

    await row.getByRole('button', { name: `Run ${name} now` }).click()
    const toast = page.locator('[data-test="run-started-toast"]')
    await expect(toast).toContainText(`${name} is queued`)
    await toast.getByRole('link', { name: 'Open the run' }).click()
    await expect(page).toHaveURL(/\/\?run=[0-9a-f-]{36}/)
    await expect(page.getByRole('dialog', { name: `Run of ${name}` })).toBeVisible()
  })

  test('shows the API refusal when a job name is taken', async ({ page }) => {
    await openSignedIn(page, '/jobs')
    await page.getByRole('button', { name: 'New job' }).click()
    const dialog = await openedDialog(page, 'New job')
    await dialog.getByLabel('Name', { exact: true }).fill('Lab backup (hourly)')
    await choose(page, 'Tags', LAB_TAG)
    await dialog.getByRole('button', { name: 'Create job' }).click()
    await expect(dialog.locator('[data-test="job-save-error"]')).toContainText('already exists')
  })
})

test.describe('Credentials page', () => {
  test('creates and deletes a credential without ever showing its secret', async ({ page }) => {
    const name = `e2e-cred-${Date.now()}`
    const secret = `Sup3r-Secret-${Date.now()}`
    await openSignedIn(page, '/credentials')
    await expect(page.getByRole('heading', { name: 'Credentials' })).toBeVisible()

    await page.getByRole('button', { name: 'New credential' }).click()
    const dialog = await openedDialog(page, 'New credential')
    await dialog.getByLabel('Name', { exact: true }).fill(name)
    await dialog.getByLabel('Username', { exact: true }).fill('backup')
    await dialog.getByLabel('Password', { exact: true }).fill(secret)
    const priority = dialog.getByLabel('Priority', { exact: true })
    // The number field takes its value on blur, and on a loaded machine it can drop a fill made while
    // it was still mounting: fill until it holds the value, so the dialog never sends the default.
    await expect(async () => {
      await priority.fill('42')
      await priority.press('Tab')
      await expect(priority).toHaveValue('42', { timeout: 1000 })
    }).toPass()
    await choose(page, 'Tags', LAB_TAG)
    await dialog.getByRole('button', { name: 'Create credential' }).click()
    await expect(dialog).toBeHidden()

    const row = page.getByRole('row').filter({ hasText: name })
    await expect(row).toContainText('backup')
    await expect(row).toContainText('42')
    await expect(page.locator('body')).not.toContainText(secret)

    await row.getByRole('button', { name: `Edit ${name}` }).click()
    const editor = await openedDialog(page, `Edit credential ${name}`)
    await expect(editor.getByLabel('Password', { exact: true })).toHaveValue('')
    await expect(editor.getByLabel('Password', { exact: true })).toHaveAttribute('placeholder', /leave empty to keep/i)
    await editor.getByRole('button', { name: 'Cancel' }).click()

    await row.getByRole('button', { name: `Delete ${name}` }).click()
    await page.getByRole('dialog', { name: 'Delete?' }).getByRole('button', { name: 'Delete' }).click()
    await expect(page.getByRole('row').filter({ hasText: name })).toHaveCount(0)
  })
})

test.describe('Tags page', () => {
  test('creates, renames and deletes a tag; shows the API refusals', async ({ page, request }) => {
    const name = `e2e-tag-${Date.now()}`
    await openSignedIn(page, '/tags')
    const lab = page.getByRole('row').filter({ has: page.getByRole('cell', { name: LAB_TAG, exact: true }) })
    await expect(lab.getByRole('cell').nth(1)).toHaveText(String(LAB_HOSTS.length))

    await page.getByRole('button', { name: 'New tag' }).click()
    await page.getByRole('dialog', { name: 'New tag' }).getByLabel('Name', { exact: true }).fill(name)
    await page.getByRole('button', { name: 'Create tag' }).click()
    const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) })
    await expect(row.getByRole('cell').nth(1)).toHaveText('0')

    await row.getByRole('button', { name: `Edit ${name}` }).click()
    const rename = await openedDialog(page, `Edit tag ${name}`)
    await rename.getByLabel('Name', { exact: true }).fill(LAB_TAG)
    await rename.getByRole('button', { name: 'Save' }).click()
    await expect(rename.getByRole('alert')).toContainText(`a tag named '${LAB_TAG}' already exists`)
    await rename.getByLabel('Name', { exact: true }).fill(`${name}-renamed`)
    await rename.getByRole('button', { name: 'Save' }).click()
    const renamed = page.getByRole('row').filter({ has: page.getByRole('cell', { name: `${name}-renamed`, exact: true }) })
    await expect(renamed).toHaveCount(1)

    await renamed.getByRole('button', { name: `Delete ${name}-renamed` }).click()
    await page.getByRole('dialog', { name: 'Delete?' }).getByRole('button', { name: 'Delete' }).click()
    await expect(renamed).toHaveCount(0)

    // `default` exists once anything was left untagged; make sure it does, then try to delete it.
    const token = (await (await request.post('/api/auth/token', { form: ADMIN })).json()).access_token
    const created = await request.post('/api/tags', { data: { name: 'default' }, headers: { Authorization: `Bearer ${token}` } })
    expect([201, 409]).toContain(created.status())
    await page.getByRole('button', { name: 'Refresh' }).click()
    await page.getByRole('button', { name: 'Delete default' }).click()
    const confirm = page.getByRole('dialog', { name: 'Delete?' })
    await confirm.getByRole('button', { name: 'Delete' }).click()
    await expect(confirm.locator('[data-test="delete-error"]')).toContainText("the 'default' tag cannot be deleted")
  })
})
