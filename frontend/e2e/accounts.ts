// Accounts for the role tests, made through the real API as the admin (as an admin would).
import { expect, type APIRequestContext, type Page } from '@playwright/test'
import type { Role } from '../src/api/types'
import { ADMIN } from './stack'

export interface Account {
  username: string
  password: string
  role: Role
}

/** An access token of the admin, from the API. Given `page.request`, it also leaves the browser signed in:
 *  the sign-in sets the refresh cookie in the page's context, and the dashboard starts from that cookie. */
export async function adminToken(request: APIRequestContext): Promise<string> {
  const response = await request.post('/api/auth/token', { form: { ...ADMIN } })
  expect(response.status()).toBe(200)
  return ((await response.json()) as { access_token: string }).access_token
}

/** A new user with a name no earlier run took; as the admin set its password, it must choose its own at first sign-in. */
export async function createAccount(request: APIRequestContext, role: Role): Promise<Account> {
  const account = { username: `e2e-${role}-${Date.now().toString(36)}`, password: `e2e-${role}-Passw0rd!`, role }
  const response = await request.post('/api/users', {
    headers: { Authorization: `Bearer ${await adminToken(request)}` },
    data: account,
  })
  expect(response.status(), await response.text()).toBe(201)
  return account
}

/** Fill the sign-in form as `account`. */
export async function signInAs(page: Page, account: Account): Promise<void> {
  await page.getByLabel('Username').fill(account.username)
  await page.getByLabel('Password', { exact: true }).fill(account.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

/** On the "Choose a new password" page, replace `account`'s password (the account then holds the new one). */
export async function chooseNewPassword(page: Page, account: Account): Promise<void> {
  const chosen = `${account.password}-own`
  await page.getByLabel('Current password').fill(account.password)
  await page.getByLabel('New password', { exact: true }).fill(chosen)
  await page.getByLabel('Repeat the new password').fill(chosen)
  await page.getByRole('button', { name: 'Set new password' }).click()
  await expect(page).not.toHaveURL(/\/change-password/)
  account.password = chosen
}

/** Sign in through the form as a newly created `account`, starting at `path`: the first sign-in asks for a
 *  new password first (first-sign-in.spec.ts covers that page), then the dashboard opens. */
export async function openSignedInAs(page: Page, account: Account, path = '/'): Promise<void> {
  await page.goto(path)
  await expect(page).toHaveURL(/\/login/)
  await signInAs(page, account)
  await expect(page).toHaveURL(/\/change-password$/)
  await chooseNewPassword(page, account)
  await expect(page).not.toHaveURL(/\/login/)
}
