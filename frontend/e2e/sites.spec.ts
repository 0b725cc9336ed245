import { generateKeyPairSync } from 'node:crypto'
import { expect, test } from './csp'
import { adminToken } from './accounts'
import { openSignedIn, openedDialog } from './helpers'

/** A site's public half, as `python -m netraven_worker.site_key generate` prints it: raw X25519, base64. */
function sitePublicKey(): string {
  const spki = generateKeyPairSync('x25519').publicKey.export({ format: 'der', type: 'spki' })
  return spki.subarray(spki.length - 32).toString('base64')
}

test.describe('Remote sites', () => {
  test('an admin registers a site; its devices are named, filtered and described by it', async ({ page, request }) => {
    const name = `e2e-${Date.now().toString(36)}`
    const headers = { Authorization: `Bearer ${await adminToken(request)}` }
    await openSignedIn(page, '/sites')
    await page.getByRole('button', { name: 'New site' }).click()
    const dialog = await openedDialog(page, 'New site')
    await dialog.getByLabel('Name').fill(name)
    await dialog.getByLabel('Public key').fill(sitePublicKey())
    await dialog.getByRole('button', { name: 'Register site' }).click()
    await expect(page.getByRole('row').filter({ hasText: name })).toContainText(`site-${name}`)

    const site = ((await (await request.get('/api/sites', { headers })).json()) as { id: string; name: string }[])
      .find((s) => s.name === name)!
    const created = await request.post('/api/devices', {
      headers,
      data: { hostname: `${name}-sw`, ip_address: '127.0.0.1', device_type: 'cisco_ios', port: 9, site_id: site.id },
    })
    expect(created.status(), await created.text()).toBe(201)
    const device = (await created.json()) as { id: string }
    try {
      await page.goto(`/devices?site=${name}`)
      const rows = page.getByRole('row')
      await expect(rows.filter({ hasText: `${name}-sw` }).locator('[data-test="device-site"]')).toHaveText(name)
      await expect(rows.filter({ hasText: 'lab-rtr-01' })).toHaveCount(0)
      await expect(page.getByRole('search', { name: 'Filter devices' })).toContainText(name)

      await rows.filter({ hasText: `${name}-sw` }).getByRole('link', { name: `${name}-sw` }).click()
      await expect(page.locator('[data-test="device-site"]')).toHaveText(`the collectors of site ${name}`)
    } finally {
      expect((await request.delete(`/api/devices/${device.id}`, { headers })).status()).toBe(204)
      expect((await request.delete(`/api/sites/${site.id}`, { headers })).status()).toBe(204)
    }
  })
})
