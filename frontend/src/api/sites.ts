// Remote sites: networks the central workers cannot reach, served by their own collectors.
import { http, request } from './client'
import type { Site } from './types'

/** A new site: its slug name, a description, and the X25519 public key the site generated. */
export interface SiteInput {
  name: string
  description: string
  public_key: string
}

const enc = encodeURIComponent

export const sitesApi = {
  list: (signal?: AbortSignal) => http.get<Site[]>('/sites', undefined, signal),
  create: (input: SiteInput) => http.post<Site>('/sites', input),
  remove: (id: string) => request<void>(`/sites/${enc(id)}`, { method: 'DELETE' }),
}
