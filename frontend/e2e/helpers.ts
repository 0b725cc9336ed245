import { expect, type Locator, type Page } from '@playwright/test'
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { ADMIN } from './stack'

/** The lab the devstack registers (lab-rtr-NN and the demo's extras, netraven_lab.demo), and the
 * job that backs it up. The CLI devices show IOS configs; PAN-OS and Junos show XML. */
export const LAB_CLI_HOSTS = [
  'lab-rtr-01',
  'lab-rtr-02',
  'lab-rtr-03',
  'lab-rtr-04',
  'lab-rtr-05',
  'lab-key-01',
  'lab-behind-01',
  'lab-telnet-01',
  'lab-dns-01',
]
export const LAB_HOSTS = [...LAB_CLI_HOSTS, 'lab-panos-01', 'lab-junos-01']
export const LAB_JOB = 'Lab backup (hourly)'
/** The scheduler fires the lab job at start-up; eleven simulated devices take a few seconds. */
export const LAB_RUN_TIMEOUT_MS = 90_000

// `make screenshots` points this at docs/screenshots; otherwise they stay out of the tree.
const SCREENSHOT_DIR = resolve(process.env.NETRAVEN_E2E_SCREENSHOT_DIR ?? 'test-results/screenshots')

export async function signIn(page: Page, password = ADMIN.password): Promise<void> {
  await page.getByLabel('Username').fill(ADMIN.username)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

/** Open `path` signed in as the admin (through the login form, as a person would). */
export async function openSignedIn(page: Page, path = '/'): Promise<void> {
  await page.goto(path)
  await expect(page).toHaveURL(/\/login/)
  await signIn(page)
  await expect(page).not.toHaveURL(/\/login/)
}

/** Click the page's Refresh button until `check` passes: the pages do not poll by themselves. */
export async function refreshUntil(page: Page, check: () => Promise<void>, timeout = LAB_RUN_TIMEOUT_MS): Promise<void> {
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click()
    await check()
  }).toPass({ timeout, intervals: [1000, 2000] })
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  // Let spinners and skeletons settle so the picture shows the page, not its loading state.
  await expect(page.locator('.p-skeleton, .p-datatable-mask')).toHaveCount(0)
  await page.screenshot({ path: join(SCREENSHOT_DIR, name) })
}

/** A dialog once its opening transition has ended. PrimeVue moves the focus into it then, so
 * text typed into a field before that moment can land in the field it focuses. */
export async function openedDialog(page: Page, name: string): Promise<Locator> {
  const dialog = page.getByRole('dialog', { name })
  await expect(dialog).toBeVisible()
  await expect(page.locator('.p-dialog-enter-active')).toHaveCount(0)
  return dialog
}
