import { test as base, expect } from '@playwright/test'

/**
 * Playwright's `test`, failing any test whose page broke the api's Content-Security-Policy: a blocked
 * script, style, image or connection is a `securitypolicyviolation` event, and Chromium logs it too.
 * Specs import `test` from here instead of '@playwright/test'.
 */
export const test = base.extend<{ contentSecurityPolicy: void }>({
  contentSecurityPolicy: [
    async ({ page }, use) => {
      const violations: string[] = []
      await page.exposeFunction('reportCspViolation', (report: string) => violations.push(report))
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) => {
          const report = `${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`
          ;(window as unknown as { reportCspViolation: (report: string) => void }).reportCspViolation(report)
        })
      })
      page.on('console', (message) => {
        if (message.type() === 'error' && message.text().includes('Content Security Policy')) violations.push(message.text())
      })
      await use()
      expect(violations, 'Content-Security-Policy violations').toEqual([])
    },
    { auto: true },
  ],
})

export { expect }
