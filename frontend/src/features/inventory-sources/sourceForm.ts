// The inventory source editor's form. Filters are typed as comma-separated slugs; the platform map
// as one `source platform = NetRaven platform` per line. On edit an empty token keeps the stored one.
import type { InventorySource, InventorySourceChanges, InventorySourceInput } from '@/api/inventorySources'

export type SourceKind = InventorySource['kind']
export type TagField = InventorySource['tag_fields'][number]
export const FILTER_NAMES = ['site', 'role', 'tag', 'status'] as const
export type FilterName = (typeof FILTER_NAMES)[number]

export interface SourceForm {
  name: string
  kind: SourceKind
  url: string
  token: string
  verifyTls: boolean
  filters: Record<FilterName, string>
  platformMap: string
  defaultPlatform: string | null
  tagFields: TagField[]
  credentialTag: string
}

export type SourceFormErrors = Partial<Record<'name' | 'url' | 'token' | 'platformMap', string>>

export function sourceFormFrom(source: InventorySource | null): SourceForm {
  const filters = source?.filters
  return {
    name: source?.name ?? '',
    kind: source?.kind ?? 'netbox',
    url: source?.url ?? '',
    token: '',
    verifyTls: source?.verify_tls ?? true,
    filters: {
      site: (filters?.site ?? []).join(', '),
      role: (filters?.role ?? []).join(', '),
      tag: (filters?.tag ?? []).join(', '),
      status: (filters?.status ?? []).join(', '),
    },
    platformMap: Object.entries(source?.platform_map ?? {})
      .map(([from, to]) => `${from} = ${to}`)
      .join('\n'),
    defaultPlatform: source?.default_platform ?? null,
    tagFields: [...(source?.tag_fields ?? ['site', 'role'])],
    credentialTag: source?.credential_tag ?? '',
  }
}

function slugs(text: string): string[] {
  return text
    .split(',')
    .map((slug) => slug.trim())
    .filter(Boolean)
}

/** The platform map's lines as an object, or the number of the first line that is not `a = b`. */
export function parsePlatformMap(text: string): Record<string, string> | number {
  const map: Record<string, string> = {}
  const lines = text.split('\n')
  for (const [index, line] of lines.entries()) {
    if (!line.trim()) continue
    const [from, to, ...rest] = line.split('=').map((part) => part.trim())
    if (!from || !to || rest.length) return index + 1
    map[from] = to
  }
  return map
}

export function validateSourceForm(form: SourceForm, editing: boolean): SourceFormErrors {
  const errors: SourceFormErrors = {}
  if (!form.name.trim()) errors.name = 'Give the source a name'
  if (!/^https?:\/\/\S+$/.test(form.url.trim())) errors.url = 'Its address, as https://netbox.example.net'
  if (!editing && !form.token.trim()) errors.token = 'An API token that may read devices'
  const map = parsePlatformMap(form.platformMap)
  if (typeof map === 'number') errors.platformMap = `Line ${map}: write it as source-platform = netraven-platform`
  return errors
}

/** The request body; on edit an empty token is left out (the stored one stays). */
export function sourceInputFrom(form: SourceForm): InventorySourceInput | InventorySourceChanges {
  const map = parsePlatformMap(form.platformMap)
  const body: InventorySourceChanges = {
    name: form.name.trim(),
    url: form.url.trim(),
    verify_tls: form.verifyTls,
    filters: {
      site: slugs(form.filters.site),
      role: slugs(form.filters.role),
      tag: slugs(form.filters.tag),
      status: slugs(form.filters.status),
    },
    platform_map: typeof map === 'number' ? {} : map,
    default_platform: form.defaultPlatform,
    tag_fields: form.tagFields,
    credential_tag: form.credentialTag.trim() || null,
  }
  if (form.token.trim()) body.token = form.token.trim()
  return { ...body, kind: form.kind }
}
