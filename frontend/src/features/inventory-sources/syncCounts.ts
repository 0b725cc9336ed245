import type { SyncCounts } from '@/api/inventorySources'

/** "2 adopted, 1 updated, 0 orphaned, 1 skipped, 5 unchanged" */
export function countsText(counts: SyncCounts): string {
  return (['adopted', 'updated', 'orphaned', 'skipped', 'unchanged'] as const)
    .map((name) => `${counts[name]} ${name}`)
    .join(', ')
}
