// Filters kept in the URL query, so a filtered view can be shared and survives a reload.
import type { LocationQuery, LocationQueryRaw } from 'vue-router'

/** For each filter field: its URL key, and which values are acceptable (any non-empty text when absent). */
export type QueryFields<F> = {
  [K in keyof F]: { key: string; accepts?: (value: string) => boolean }
}

export const oneOf =
  (values: readonly string[]) =>
  (value: string): boolean =>
    values.includes(value)

export const isUuid = (value: string): boolean =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)

export const isIsoTime = (value: string): boolean => !Number.isNaN(Date.parse(value))

/** Every field, set from the query when its value is acceptable, else null. */
export function filtersFromQuery<F>(query: LocationQuery, fields: QueryFields<F>): { [K in keyof F]: string | null } {
  const result = {} as { [K in keyof F]: string | null }
  for (const name of Object.keys(fields) as Array<keyof F>) {
    const { key, accepts } = fields[name]
    const raw = query[key]
    const value = typeof raw === 'string' ? raw.trim() : null
    result[name] = value && (!accepts || accepts(value)) ? value : null
  }
  return result
}

/** The query for these filters: set fields by their key, empty ones removed. */
export function filtersToQuery<F>(filters: F, fields: QueryFields<F>): LocationQueryRaw {
  const query: LocationQueryRaw = {}
  for (const name of Object.keys(fields) as Array<keyof F>) {
    const value = filters[name]
    query[fields[name].key] = value === null || value === undefined || value === '' ? undefined : String(value)
  }
  return query
}

/** `current` with the keys in `next` replaced (an undefined value removes its key). */
export function mergeQuery(current: LocationQuery, next: LocationQueryRaw): LocationQueryRaw {
  const merged: LocationQueryRaw = { ...current, ...next }
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key]
  return merged
}
