/**
 * The Content-Security-Policy nonce the api put in this page (Vite's `<meta property="csp-nonce">`):
 * PrimeVue stamps it on the <style> elements it adds at runtime, which the policy allows by nonce only.
 * Browsers hide a nonce attribute from getAttribute once the page is parsed; the property keeps it.
 */
export function cspNonce(): string | undefined {
  const meta = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')
  return meta?.nonce || undefined
}
