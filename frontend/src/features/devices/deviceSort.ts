// The API sorts by a few named keys; the table speaks of a column and a direction.
import type { DeviceSort } from '@/api/types'

export interface TableSort {
  field: string
  order: 1 | -1
}

/** Columns the API can sort by; device type sorts one way only. */
export const SORTABLE = ['hostname', 'last_backup_at', 'device_type'] as const

export function tableSort(sort: DeviceSort): TableSort {
  return sort.startsWith('-') ? { field: sort.slice(1), order: -1 } : { field: sort, order: 1 }
}

export function apiSort(field: string | undefined, order: number | null | undefined): DeviceSort {
  if (field === 'hostname' || field === 'last_backup_at') return order === -1 ? `-${field}` : field
  if (field === 'device_type') return 'device_type'
  return 'hostname'
}
