import type { RouteLocationRaw } from 'vue-router'
import type { Role } from '@/api/types'

export interface MenuEntry {
  label: string
  icon: string
  to: RouteLocationRaw
  /** Roles that see the entry; everyone when absent. */
  roles?: Role[]
}

export interface MenuSection {
  label: string
  items: MenuEntry[]
}

export const menu: MenuSection[] = [
  {
    label: 'Dashboard',
    items: [{ label: 'Job Status', icon: 'pi pi-fw pi-chart-bar', to: { name: 'dashboard' } }],
  },
  {
    label: 'Inventory',
    items: [{ label: 'Devices', icon: 'pi pi-fw pi-server', to: { name: 'devices' } }],
  },
]
