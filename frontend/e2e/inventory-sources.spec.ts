import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, test } from './csp'
import { openedDialog, openSignedIn } from './helpers'

// A NetBox stand-in: one page of `/api/dcim/devices/` in NetBox 4's shape, for the right token.
const TOKEN = 'e2e-netbox-token'
const stamp = Date.now()
const HOSTS = [`e2e-nb-${stamp}-a`, `e2e-nb-${stamp}-b`]
let netbox: Server
let netboxUrl = ''

function device(id: number, name: string) {
  const slug = (value: string) => ({ id, name: value, slug: value, display: value })
  const ip = { id, address: `127.0.1.${id}/32`, family: { value: 4, label: 'IPv4' } }
  return {
    id,
    name,
    role: slug('core'),
    platform: slug('ios'),
    site: slug('dc1'),
    status: { value: 'active', label: 'Active' },
    primary_ip: ip,
    primary_ip4: ip,
    primary_ip6: null,
    tags: [],
  }
}

test.beforeAll(async () => {
  netbox = createServer((request, response) => {
    const authorized = request.headers.authorization === `Token ${TOKEN}`
    const found = request.url?.startsWith('/api/dcim/devices/')
    const body = !authorized
      ? { detail: 'Invalid token' }
      : found
        ? { count: 2, next: null, previous: null, results: HOSTS.map((name, n) => device(n + 1, name)) }
        : { detail: 'Not found.' }
    response.writeHead(!authorized ? 403 : found ? 200 : 404, { 'Content-Type': 'application/json' })
    response.end(JSON.stringify(body))
  })
  await new Promise<void>((resolve) => netbox.listen(0, '127.0.0.1', resolve))
  netboxUrl = `http://127.0.0.1:${(netbox.address() as AddressInfo).port}`
})

test.afterAll(() => new Promise<void>((resolve) => netbox.close(() => resolve())))

test.describe('Inventory sources page', () => {
  test('an admin adds a NetBox source, previews the sync, syncs it, and finds the devices', async ({ page }) => {
    const name = `e2e-netbox-${stamp}`
    await openSignedIn(page, '/inventory-sources')
    await expect(page.getByRole('heading', { name: 'Inventory sources' })).toBeVisible()
    await page.getByRole('button', { name: 'New source' }).click()
    const editor = await openedDialog(page, 'New inventory source')
    await editor.getByLabel('Name', { exact: true }).fill(name)
    await editor.getByLabel('URL', { exact: true }).fill(netboxUrl)
    await editor.getByLabel('API token', { exact: true }).fill(TOKEN)
    await editor.getByLabel('Platform map', { exact: true }).fill('ios = cisco_ios')
    await editor.getByRole('button', { name: 'Create source' }).click()
    await expect(editor).toBeHidden()

    const row = page.getByRole('row').filter({ hasText: name })
    await row.getByRole('button', { name: `Preview ${name}` }).click()
    const preview = await openedDialog(page, `Preview: a sync of ${name} would…`)
    await expect(preview).toContainText('2 adopted')
    await expect(preview).toContainText(HOSTS[0]!)
    await preview.getByRole('button', { name: 'Close' }).click()
    await expect(preview).toBeHidden()

    await row.getByRole('button', { name: `Sync now ${name}` }).click()
    const synced = await openedDialog(page, `Synced ${name}`)
    await expect(synced).toContainText('2 adopted')
    await synced.getByRole('button', { name: 'Close' }).click()
    await expect(synced).toBeHidden()
    await expect(row).toContainText('2 adopted, 0 updated')

    await page.goto(`/devices?tag=source:${name}`)
    await expect(page.getByRole('row').filter({ hasText: HOSTS[1]! })).toBeVisible()
  })
})
