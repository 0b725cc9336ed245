import type { RouteLocationNamedRaw } from 'vue-router'
import type { Role } from '@/api/types'

export interface MenuEntry {
  label: string
  icon: string
  to: RouteLocationNamedRaw
  /** Roles that see the entry; everyone when absent. */
  roles?: Role[]
  /** Other route names under this entry (a device's page belongs to Devices). */
  activeOn?: string[]
}

export interface MenuSection {
  label: string
  items: MenuEntry[]
}

export const menu: MenuSection[] = [
  {
    label: 'Operations',
    items: [
      { label: 'Job Status', icon: 'pi pi-fw pi-chart-bar', to: { name: 'dashboard' } },
      { label: 'Logs', icon: 'pi pi-fw pi-list', to: { name: 'logs' } },
      { label: 'Jobs', icon: 'pi pi-fw pi-calendar-clock', to: { name: 'jobs' } },
    ],
  },
  {
    label: 'Inventory',
    items: [
      { label: 'Devices', icon: 'pi pi-fw pi-server', to: { name: 'devices' }, activeOn: ['device'] },
      { label: 'Config search', icon: 'pi pi-fw pi-search', to: { name: 'search' } },
      { label: 'Compliance', icon: 'pi pi-fw pi-verified', to: { name: 'compliance' } },
      { label: 'Tags', icon: 'pi pi-fw pi-tags', to: { name: 'tags' } },
      { label: 'Platforms', icon: 'pi pi-fw pi-box', to: { name: 'platforms' } },
      // everyone reads what a stored config leaves out; admins change the filters there
      { label: 'Filters', icon: 'pi pi-fw pi-filter', to: { name: 'config-filters' } },
      {
        label: 'Credentials',
        icon: 'pi pi-fw pi-key',
        to: { name: 'credentials' },
        roles: ['operator', 'admin'],
      },
      // everyone reads which bastions devices go through; admins change them there
      { label: 'Jump hosts', icon: 'pi pi-fw pi-directions', to: { name: 'jump-hosts' } },
      // everyone reads which sites back up which devices; admins register them there
      { label: 'Sites', icon: 'pi pi-fw pi-map', to: { name: 'sites' } },
      {
        label: 'Inventory sources',
        icon: 'pi pi-fw pi-cloud-download',
        to: { name: 'inventory-sources' },
        roles: ['admin'],
      },
      // everyone reads which addresses a device may have; admins change them there
      { label: 'Management networks', icon: 'pi pi-fw pi-sitemap', to: { name: 'management-networks' } },
    ],
  },
  {
    label: 'Administration',
    items: [
      { label: 'Users', icon: 'pi pi-fw pi-users', to: { name: 'users' }, roles: ['admin'] },
      { label: 'Notifications', icon: 'pi pi-fw pi-megaphone', to: { name: 'notifications' }, roles: ['admin'] },
      { label: 'Rejected events', icon: 'pi pi-fw pi-ban', to: { name: 'rejections' }, roles: ['admin'] },
      { label: 'Audit trail', icon: 'pi pi-fw pi-history', to: { name: 'audit' }, roles: ['admin'] },
    ],
  },
  {
    label: 'Account',
    items: [{ label: 'API tokens', icon: 'pi pi-fw pi-key', to: { name: 'tokens' } }],
  },
]

/**
 * The sections a user sees: entries for their role whose route exists (a page can land
 * after its menu entry), and no empty sections.
 */
export function visibleSections(
  sections: MenuSection[],
  canSee: (roles: Role[]) => boolean,
  routeExists: (name: string) => boolean,
): MenuSection[] {
  return sections
    .map((section) => ({
      ...section,
      items: section.items.filter(
        (item) => (!item.roles || canSee(item.roles)) && routeExists(String(item.to.name)),
      ),
    }))
    .filter((section) => section.items.length > 0)
}

export function isEntryActive(item: MenuEntry, routeName: unknown): boolean {
  return typeof routeName === 'string' && (routeName === item.to.name || !!item.activeOn?.includes(routeName))
}
