import { expect, test } from './csp'
import { openedDialog, openSignedIn } from './helpers'

test.describe('API tokens', () => {
  test('a token created in the dashboard shows its secret once, works as a bearer, and is 401 once revoked', async ({
    page,
    request,
  }) => {
    await openSignedIn(page, '/tokens')
    await expect(page.getByRole('heading', { name: 'API tokens' })).toBeVisible()

    const name = `e2e-script-${Date.now().toString(36)}`
    await page.getByRole('button', { name: 'New token' }).click()
    const dialog = await openedDialog(page, 'New API token')
    await dialog.getByLabel('Name').fill(name)
    await dialog.getByRole('button', { name: 'Create token' }).click()

    const created = page.getByRole('dialog', { name: 'Token created' })
    await expect(created.getByRole('alert')).toContainText('shown only once')
    const field = created.getByLabel('Your new token')
    await expect(field).toHaveValue(/^nrt_[\w-]{43}$/)
    await expect(field).not.toBeEditable()
    const secret = await field.inputValue()
    await created.getByRole('button', { name: 'I have copied it' }).click()
    await expect(created).toBeHidden()

    const row = page.getByRole('row').filter({ hasText: name })
    await expect(row).toContainText('active')
    await expect(page.getByText(secret)).toHaveCount(0)

    const bearer = { Authorization: `Bearer ${secret}` }
    expect((await request.get('/api/devices', { headers: bearer })).status()).toBe(200)
    expect((await request.get('/api/users', { headers: bearer })).status()).toBe(403)

    await page.getByRole('button', { name: 'Refresh' }).click()
    await expect(row).toContainText('from 127.0.0.1')

    await row.getByRole('button', { name: `Revoke ${name}` }).click()
    const confirm = page.getByRole('dialog', { name: 'Revoke the token?' })
    await expect(confirm).toContainText(name)
    await confirm.getByRole('button', { name: 'Revoke', exact: true }).click()
    await expect(confirm).toBeHidden()
    await expect(row).toContainText('revoked')

    const refused = await request.get('/api/devices', { headers: bearer })
    expect(refused.status()).toBe(401)
    expect(((await refused.json()) as { error: string }).error).toBe('this API token was revoked')
  })
})
