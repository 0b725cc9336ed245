// Accounts for the role tests, made through the real API as the admin (as an admin would).
import { expect, type APIRequestContext, type Page } from '@playwright/test'
import type { Role } from '../src/api/types'
import { ADMIN } from './stack'

export interface Account {
  username: string
  password: string
  role: Role
}

async function adminToken(request: APIRequestContext): Promise<string> {
  const response = await request.post('/api/auth/token', { form: { ...ADMIN } })
  expect(response.status()).toBe(200)
  return ((await response.json()) as { access_token: string }).access_token
}

/** A new user with a name no earlier run took. */
export async function createAccount(request: APIRequestContext, role: Role): Promise<Account> {
  const account = { username: `e2e-${role}-${Date.now().toString(36)}`, password: `e2e-${role}-Passw0rd!`, role }
  const response = await request.post('/api/users', {
    headers: { Authorization: `Bearer ${await adminToken(request)}` },
    data: account,
  })
  expect(response.status(), await response.text()).toBe(201)
  return account
}

/** Sign in through the form as `account`, starting at `path`. */
export async function openSignedInAs(page: Page, account: Account, path = '/'): Promise<void> {
  await page.goto(path)
  await expect(page).toHaveURL(/\/login/)
  await page.getByLabel('Username').fill(account.username)
  await page.getByLabel('Password', { exact: true }).fill(account.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page).not.toHaveURL(/\/login/)
}
