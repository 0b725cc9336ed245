// The devices list's filters, sorting and page live in the URL, so a view can be bookmarked and shared.
import type { LocationQuery, LocationQueryRaw } from 'vue-router'
import { COMPLIANCE_STATUSES, type ComplianceStatus } from '@/api/compliance'
import { HOST_KEY_STATUSES, type HostKeyStatus } from '@/api/hostKeyTypes'
import {
  BACKUP_STATUSES,
  DEVICE_SORTS,
  ORPHANED_FILTERS,
  REACHABILITY_STATUSES,
  STALE_FILTERS,
  type BackupStatus,
  type DeviceSort,
  type OrphanedFilter,
  type ReachabilityStatus,
  type StaleFilter,
} from '@/api/types'
import { DEFAULT_DEVICE_QUERY, type DeviceListQuery } from '@/stores/devices'

export const PAGE_SIZES = [10, 20, 50, 100]

function single(value: LocationQuery[string] | undefined): string | null {
  const first = Array.isArray(value) ? value[0] : value
  return typeof first === 'string' && first !== '' ? first : null
}

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | null {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : null
}

/** Read the list query from the URL; what is missing or not understood takes its default. */
export function queryFromUrl(url: LocationQuery): DeviceListQuery {
  const limit = Number(single(url.limit))
  const page = Math.floor(Number(single(url.page)))
  const size = PAGE_SIZES.includes(limit) ? limit : DEFAULT_DEVICE_QUERY.limit
  return {
    q: single(url.q) ?? '',
    tag: single(url.tag),
    device_type: single(url.device_type),
    status: oneOf<BackupStatus>(single(url.status), BACKUP_STATUSES),
    reachability: oneOf<ReachabilityStatus>(single(url.reachability), REACHABILITY_STATUSES),
    host_key_status: oneOf<HostKeyStatus>(single(url.host_key_status), HOST_KEY_STATUSES),
    compliance: oneOf<ComplianceStatus>(single(url.compliance), COMPLIANCE_STATUSES),
    model: single(url.model),
    os_version: single(url.os_version),
    serial_number: single(url.serial_number),
    orphaned: oneOf<OrphanedFilter>(single(url.orphaned), ORPHANED_FILTERS),
    stale: oneOf<StaleFilter>(single(url.stale), STALE_FILTERS),
    site: single(url.site),
    sort: oneOf<DeviceSort>(single(url.sort), DEVICE_SORTS) ?? DEFAULT_DEVICE_QUERY.sort,
    limit: size,
    offset: Number.isFinite(page) && page > 1 ? (page - 1) * size : 0,
  }
}

/** Write the list query as URL parameters, leaving defaults out. */
export function urlFromQuery(query: DeviceListQuery): LocationQueryRaw {
  const url: LocationQueryRaw = {}
  if (query.q) url.q = query.q
  if (query.tag) url.tag = query.tag
  if (query.device_type) url.device_type = query.device_type
  if (query.status) url.status = query.status
  if (query.reachability) url.reachability = query.reachability
  if (query.host_key_status) url.host_key_status = query.host_key_status
  if (query.compliance) url.compliance = query.compliance
  if (query.model) url.model = query.model
  if (query.os_version) url.os_version = query.os_version
  if (query.serial_number) url.serial_number = query.serial_number
  if (query.orphaned) url.orphaned = query.orphaned
  if (query.stale) url.stale = query.stale
  if (query.site) url.site = query.site
  if (query.sort !== DEFAULT_DEVICE_QUERY.sort) url.sort = query.sort
  if (query.limit !== DEFAULT_DEVICE_QUERY.limit) url.limit = String(query.limit)
  const page = Math.floor(query.offset / query.limit) + 1
  if (page > 1) url.page = String(page)
  return url
}
