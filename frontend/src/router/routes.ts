import type { RouteRecordRaw } from 'vue-router'
import type { Role } from '@/api/types'
import AppLayout from '@/layout/AppLayout.vue'

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without signing in. */
    public?: boolean
    /** Roles allowed here; any signed-in user when absent. */
    roles?: Role[]
    title?: string
  }
}

export const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/features/auth/LoginPage.vue'),
    meta: { public: true, title: 'Sign in' },
  },
  {
    path: '/unauthorized',
    name: 'unauthorized',
    component: () => import('@/features/errors/UnauthorizedPage.vue'),
    meta: { public: true, title: 'Unauthorized' },
  },
  {
    path: '/',
    component: AppLayout,
    children: [
      {
        path: '',
        name: 'dashboard',
        component: () => import('@/features/jobs/JobDashboardPage.vue'),
        meta: { title: 'Job Status' },
      },
      {
        path: 'devices',
        name: 'devices',
        component: () => import('@/features/devices/DevicesPage.vue'),
        meta: { title: 'Devices' },
      },
      {
        path: 'devices/:id',
        name: 'device',
        component: () => import('@/features/devices/DeviceDetailPage.vue'),
        props: true,
        meta: { title: 'Device' },
      },
      {
        path: ':pathMatch(.*)*',
        name: 'not-found',
        component: () => import('@/features/errors/NotFoundPage.vue'),
        meta: { title: 'Not found' },
      },
    ],
  },
]
