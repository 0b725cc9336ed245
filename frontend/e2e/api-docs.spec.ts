import { expect, test } from './csp'

test.describe('API docs', () => {
  test('Swagger UI loads from the api itself and runs under its Content-Security-Policy', async ({ page, baseURL }) => {
    const origin = new URL(baseURL ?? '').origin
    const elsewhere: string[] = []
    page.on('request', (request) => {
      const url = request.url()
      if (!url.startsWith('data:') && new URL(url).origin !== origin) elsewhere.push(url)
    })
    await page.goto('/api/docs')
    await expect(page.getByRole('heading', { name: /NetRaven API/ })).toBeVisible()
    await expect(page.getByText('/api/devices/import').first()).toBeVisible()
    expect(elsewhere).toEqual([])
  })
})
