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
    // Outside the layout: until the new password is chosen there is nowhere else to go.
    path: '/change-password',
    name: 'change-password',
    component: () => import('@/features/auth/ChangePasswordPage.vue'),
    meta: { title: 'Choose a new password' },
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
        path: 'logs',
        name: 'logs',
        component: () => import('@/features/logs/LogsPage.vue'),
        meta: { title: 'Logs' },
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
        path: 'search',
        name: 'search',
        component: () => import('@/features/search/ConfigSearchPage.vue'),
        meta: { title: 'Config search' },
      },
      {
        path: 'users',
        name: 'users',
        component: () => import('@/features/users/UsersPage.vue'),
        meta: { title: 'Users', roles: ['admin'] },
      },
      {
        path: 'tokens',
        name: 'tokens',
        component: () => import('@/features/tokens/TokensPage.vue'),
        meta: { title: 'API tokens' },
      },
      {
        path: 'rejections',
        name: 'rejections',
        component: () => import('@/features/rejections/RejectionsPage.vue'),
        meta: { title: 'Rejected events', roles: ['admin'] },
      },
      {
        path: 'audit',
        name: 'audit',
        component: () => import('@/features/audit/AuditPage.vue'),
        meta: { title: 'Audit trail', roles: ['admin'] },
      },
      {
        path: 'jobs',
        name: 'jobs',
        component: () => import('@/features/jobs-admin/JobsPage.vue'),
        meta: { title: 'Jobs' },
      },
      {
        path: 'credentials',
        name: 'credentials',
        component: () => import('@/features/credentials/CredentialsPage.vue'),
        meta: { title: 'Credentials', roles: ['operator', 'admin'] },
      },
      {
        path: 'compliance',
        name: 'compliance',
        component: () => import('@/features/compliance/CompliancePage.vue'),
        meta: { title: 'Compliance' },
      },
      {
        path: 'jump-hosts',
        name: 'jump-hosts',
        component: () => import('@/features/jump-hosts/JumpHostsPage.vue'),
        meta: { title: 'Jump hosts' },
      },
      {
        path: 'sites',
        name: 'sites',
        component: () => import('@/features/sites/SitesPage.vue'),
        meta: { title: 'Sites' },
      },
      {
        path: 'notifications',
        name: 'notifications',
        component: () => import('@/features/notifications/NotificationsPage.vue'),
        meta: { title: 'Notifications', roles: ['admin'] },
      },
      {
        path: 'inventory-sources',
        name: 'inventory-sources',
        component: () => import('@/features/inventory-sources/InventorySourcesPage.vue'),
        meta: { title: 'Inventory sources', roles: ['admin'] },
      },
      {
        path: 'tags',
        name: 'tags',
        component: () => import('@/features/tags/TagsPage.vue'),
        meta: { title: 'Tags' },
      },
      {
        path: 'platforms',
        name: 'platforms',
        component: () => import('@/features/platforms/PlatformsPage.vue'),
        meta: { title: 'Platforms' },
      },
      {
        path: 'config-filters',
        name: 'config-filters',
        component: () => import('@/features/config-filters/ConfigFiltersPage.vue'),
        meta: { title: 'Filters' },
      },
      {
        path: 'management-networks',
        name: 'management-networks',
        component: () => import('@/features/management-networks/ManagementNetworksPage.vue'),
        meta: { title: 'Management networks' },
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
