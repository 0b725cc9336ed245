import { computed } from 'vue'
import { useAsync } from '@/composables/useAsync'
import { usersApi, type UserAccount, type UserCreate, type UserUpdate } from '@/api/users'

/** The user list and the changes made to it; each change answers the saved user and updates its row. */
export function useUsers() {
  const list = useAsync((signal: AbortSignal) => usersApi.list(signal))
  const users = computed(() => list.data.value ?? [])

  function put(user: UserAccount): UserAccount {
    const rows = list.data.value ?? []
    const index = rows.findIndex((row) => row.id === user.id)
    const next = index === -1 ? [...rows, user] : rows.map((row, i) => (i === index ? user : row))
    list.data.value = next.sort((a, b) => a.username.localeCompare(b.username))
    return user
  }

  /** Throws ApiError when the API refuses (a taken username, the last active admin). */
  async function create(data: UserCreate): Promise<UserAccount> {
    return put(await usersApi.create(data))
  }

  async function update(id: string, changes: UserUpdate): Promise<UserAccount> {
    return put(await usersApi.update(id, changes))
  }

  return { list, users, refresh: () => list.execute(), create, update }
}
