// NetBox and Nautobot inventory sources, their dry run and their sync. Admins only.
import { http, request } from './client'
import type { Schema } from './types'

const enc = encodeURIComponent

export type InventorySource = Schema<'InventorySourceOut'>
export type InventorySourceInput = Schema<'InventorySourceCreate'>
export type InventorySourceChanges = Schema<'InventorySourceUpdate'>
export type SyncReport = Schema<'SyncReport'>
export type SyncCounts = Schema<'SyncCounts'>

export const inventorySourcesApi = {
  list: (signal?: AbortSignal) => http.get<InventorySource[]>('/inventory-sources', undefined, signal),
  create: (input: InventorySourceInput) => http.post<InventorySource>('/inventory-sources', input),
  update: (id: string, changes: InventorySourceChanges) =>
    request<InventorySource>(`/inventory-sources/${enc(id)}`, { method: 'PATCH', json: changes }),
  remove: (id: string) => request<void>(`/inventory-sources/${enc(id)}`, { method: 'DELETE' }),
  preview: (id: string) => http.post<SyncReport>(`/inventory-sources/${enc(id)}/preview`, {}),
  sync: (id: string) => http.post<SyncReport>(`/inventory-sources/${enc(id)}/sync`, {}),
}
