/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url'
import tailwindcss from '@tailwindcss/vite'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'

// Where `npm run dev` / `npm run preview` forward /api (override with NETRAVEN_API_URL).
const apiTarget = process.env.NETRAVEN_API_URL ?? 'http://127.0.0.1:8000'
const proxy = { '/api': { target: apiTarget, changeOrigin: true } }

// The API serves dist/ at "/" with an SPA fallback, so base stays "/".
export default defineConfig({
  base: '/',
  plugins: [vue(), tailwindcss()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: {
    port: 5173,
    proxy,
  },
  preview: {
    port: 4173,
    proxy,
  },
  // The api replaces this placeholder in index.html with each response's CSP nonce
  // (services/api/src/netraven_api/http_hardening/content_security_policy.py).
  html: { cspNonce: 'NETRAVEN_CSP_NONCE' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.spec.ts'],
    restoreMocks: true,
    unstubGlobals: true,
    // `make test` runs Vitest beside pytest on two cores: mounting a whole page can take several
    // seconds there. No spec measures time, so the bound only has to catch a hang.
    testTimeout: 30_000,
  },
})
