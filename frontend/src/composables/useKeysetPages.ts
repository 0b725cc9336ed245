import { ref, type Ref } from 'vue'
import { useAsync, type AsyncState } from '@/composables/useAsync'

/** A page of a newest-first list paged by a keyset cursor (`before`): the audit trail, rejected events. */
export interface KeysetPage<T, C> {
  items: T[]
  next_before: C | null
}

export interface KeysetPages<T, C> {
  items: Ref<T[]>
  nextBefore: Ref<C | null>
  page: AsyncState<KeysetPage<T, C>, [C | null]>
  /** Load the newest page, replacing what is shown. */
  fetchNewest: () => Promise<void>
  /** Append the next, older page; entries already shown are not shown twice. */
  loadOlder: () => Promise<void>
}

export function useKeysetPages<T extends { id: unknown }, C>(
  fetchPage: (signal: AbortSignal, before: C | null) => Promise<KeysetPage<T, C>>,
): KeysetPages<T, C> {
  const items = ref<T[]>([]) as Ref<T[]>
  const nextBefore = ref<C | null>(null) as Ref<C | null>
  const page = useAsync(fetchPage)

  async function fetchNewest(): Promise<void> {
    const result = await page.execute(null)
    if (!result) return
    items.value = result.items
    nextBefore.value = result.next_before
  }

  async function loadOlder(): Promise<void> {
    if (nextBefore.value === null) return
    const result = await page.execute(nextBefore.value)
    if (!result) return
    const known = new Set(items.value.map((e) => e.id))
    items.value = [...items.value, ...result.items.filter((e) => !known.has(e.id))]
    nextBefore.value = result.next_before
  }

  return { items, nextBefore, page, fetchNewest, loadOlder }
}
