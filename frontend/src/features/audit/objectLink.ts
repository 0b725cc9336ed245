import type { RouteLocationRaw } from 'vue-router'
import type { AuditEntry } from '@/api/audit'

/** Where the entry's object is shown in the dashboard, when it has a page of its own. */
export function objectLink(entry: AuditEntry): RouteLocationRaw | null {
  if (!entry.object_id) return null
  switch (entry.object_type) {
    case 'device':
      return { name: 'device', params: { id: entry.object_id } }
    case 'run':
      return { name: 'logs', query: { log_run: entry.object_id } }
    default:
      return null
  }
}

/** One change as text: `old → new` for a changed field, the value itself otherwise. */
export function describeChange(value: unknown): string {
  if (value !== null && typeof value === 'object' && 'old' in value && 'new' in value) {
    const { old, new: next } = value as { old: unknown; new: unknown }
    return `${show(old)} → ${show(next)}`
  }
  return show(value)
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '—'
  return typeof value === 'string' ? value : JSON.stringify(value)
}
