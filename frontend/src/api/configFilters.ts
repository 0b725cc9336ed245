// Operator filters: extra redaction and noise patterns per platform or tag, versioned. Everyone reads
// them; admins save, restore, delete and preview (the preview runs candidate patterns on the server).
import { http, request } from './client'
import type { Schema } from './types'

export type ConfigFilter = Schema<'ConfigFilterOut'>
/** A filter with every saved version, newest first. */
export type ConfigFilterDetail = Schema<'ConfigFilterDetail'>
export type ConfigFilterVersion = Schema<'ConfigFilterVersionOut'>
export type ConfigFilterInput = Schema<'ConfigFilterIn'>
export type FilterRedaction = Schema<'FilterRedaction'>
export type PreviewInput = Schema<'PreviewIn'>
/** The stored config before and after the candidate patterns, their diff and what they changed. */
export type FilterPreview = Schema<'PreviewOut'>

const enc = encodeURIComponent

export const configFiltersApi = {
  list: (signal?: AbortSignal) => http.get<ConfigFilter[]>('/config-filters', undefined, signal),
  get: (id: string, signal?: AbortSignal) =>
    http.get<ConfigFilterDetail>(`/config-filters/${enc(id)}`, undefined, signal),
  create: (input: ConfigFilterInput) => http.post<ConfigFilterDetail>('/config-filters', input),
  /** The whole filter again: the server saves it as a new version. */
  update: (id: string, input: ConfigFilterInput) =>
    request<ConfigFilterDetail>(`/config-filters/${enc(id)}`, { method: 'PUT', json: input }),
  restore: (id: string, version: number, comment = '') =>
    http.post<ConfigFilterDetail>(`/config-filters/${enc(id)}/versions/${version}/restore`, { comment }),
  remove: (id: string) => request<void>(`/config-filters/${enc(id)}`, { method: 'DELETE' }),
  preview: (input: PreviewInput) => http.post<FilterPreview>('/config-filters/preview', input),
}
