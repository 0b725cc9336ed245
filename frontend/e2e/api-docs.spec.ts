import { expect, test } from './csp'

test.describe('API docs', () => {
  test('Swagger UI loads from the api itself and runs under its Content-Security-Policy', async ({ page, baseURL }) => {
    const origin = new URL(baseURL ?? '').origin
    const elsewhere: string[] = []
    page.on('request', (request) => {
      const url = request.url()
      if (!url.startsWith('data:') && new URL(url).origin !== origin) elsewhere.push(url)
    })
    const openapi = page.waitForResponse('**/api/openapi.json')
    await page.goto('/api/docs')
    expect((await openapi).status()).toBe(200)
    // Swagger UI ran (its own markup replaced the empty container) and fetched the document.
    await expect(page.locator('#swagger-ui .swagger-ui')).toBeVisible()
    expect(elsewhere).toEqual([])
  })

  // Swagger UI 5 reads the OpenAPI 3.1 that FastAPI writes (4.x shows "Unable to render this definition").
  test('Swagger UI renders the NetRaven API', async ({ page }) => {
    await page.goto('/api/docs')
    await expect(page.getByRole('heading', { name: /NetRaven API/ })).toBeVisible()
    await expect(page.getByText('/api/devices/import').first()).toBeVisible()
  })
})
