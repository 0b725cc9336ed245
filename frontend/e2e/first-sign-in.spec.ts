// An account an admin created must choose its own password before anything else, then it is signed in.
import { expect, test } from './csp'
import { chooseNewPassword, createAccount, signInAs } from './accounts'
import { openedDialog, screenshot } from './helpers'

test.describe('First sign-in of a new account', () => {
  test('chooses a new password, cannot go around that page, then lands on the dashboard and stays signed in', async ({
    page,
    request,
  }) => {
    const account = await createAccount(request, 'operator')
    const givenByAdmin = account.password

    await page.goto('/devices')
    await signInAs(page, account)
    await expect(page).toHaveURL(/\/change-password$/)
    await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible()
    await expect(page.getByText('At least 12 characters')).toBeVisible()
    await screenshot(page, 'change-password.png')

    for (const path of ['/', '/devices', '/users', '/jobs', '/login']) {
      await page.goto(path)
      await expect(page, path).toHaveURL(/\/change-password$/)
    }
    await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0)

    // The API's own answers reach the page: a wrong current password.
    await page.getByLabel('Current password').fill('not-the-given-password')
    await page.getByLabel('New password', { exact: true }).fill('an-operator-own-password')
    await page.getByLabel('Repeat the new password').fill('an-operator-own-password')
    await page.getByRole('button', { name: 'Set new password' }).click()
    await expect(page.getByRole('alert')).toContainText('the current password is wrong')
    await expect(page).toHaveURL(/\/change-password$/)

    await chooseNewPassword(page, account)
    await expect(page).toHaveURL(/\/$/)
    await expect(page.getByRole('heading', { name: 'Job Status Dashboard' })).toBeVisible()
    await expect(page.locator('[data-test="signed-in-user"]')).toContainText(account.username)

    await page.reload()
    await expect(page).toHaveURL(/\/$/)
    await expect(page.getByRole('heading', { name: 'Job Status Dashboard' })).toBeVisible()
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }))
    expect(stored).not.toMatch(/eyJ/) // every JWT starts so
    expect(stored).not.toContain('netraven.token')

    const withOldPassword = await request.post('/api/auth/token', {
      form: { username: account.username, password: givenByAdmin },
    })
    expect(withOldPassword.status()).toBe(401)
  })

  test('the top bar changes the password again, and the user stays signed in', async ({ page, request }) => {
    const account = await createAccount(request, 'viewer')
    await page.goto('/')
    await signInAs(page, account)
    await chooseNewPassword(page, account)

    await page.getByRole('button', { name: 'Change password' }).click()
    const dialog = await openedDialog(page, 'Change password')
    const next = `${account.password}-again`
    await dialog.getByLabel('Current password').fill(account.password)
    await dialog.getByLabel('New password', { exact: true }).fill(next)
    await dialog.getByLabel('Repeat the new password').fill(`${next}-typo`)
    await dialog.getByRole('button', { name: 'Change password' }).click()
    await expect(dialog.getByRole('alert')).toHaveText('The two new passwords differ.')

    await dialog.getByLabel('Repeat the new password').fill(next)
    await dialog.getByRole('button', { name: 'Change password' }).click()
    await expect(dialog).toBeHidden()
    await expect(page.getByText('Password changed')).toBeVisible()

    await page.reload()
    await expect(page.getByRole('heading', { name: 'Job Status Dashboard' })).toBeVisible()
    const withNew = await request.post('/api/auth/token', { form: { username: account.username, password: next } })
    expect(withNew.status()).toBe(200)
  })
})
