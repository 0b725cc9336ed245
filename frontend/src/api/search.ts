import { request } from './client'
import type { Schema } from './types'

export const MIN_QUERY_LENGTH = 2
export const MAX_QUERY_LENGTH = 200

export type SearchMatch = Schema<'SearchMatch'>

/** `commit`: the device's latest config version, where the matches are. */
export type DeviceSearchResult = Schema<'DeviceSearchResult'>

export interface ConfigSearchAnswer {
  results: DeviceSearchResult[]
  /** More devices or matches exist than were returned. */
  truncated: boolean
}

export const searchApi = {
  /** Case-insensitive fixed text in the latest config of every device. */
  async search(q: string, signal?: AbortSignal): Promise<ConfigSearchAnswer> {
    let truncated = false
    const results = await request<DeviceSearchResult[]>('/configs/search', {
      query: { q },
      signal,
      onHeaders: (headers) => (truncated = headers.get('X-Results-Truncated') === 'true'),
    })
    return { results, truncated }
  },
}
