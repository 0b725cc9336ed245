import type { Pinia } from 'pinia'
import { createRouter, createWebHistory, type RouterHistory } from 'vue-router'
import { installAuth } from './guards'
import { routes } from './routes'

export function createAppRouter(pinia: Pinia, history: RouterHistory = createWebHistory('/')) {
  const router = createRouter({ history, routes })
  installAuth(router, pinia)
  return router
}
