import { defineStore } from 'pinia'
import { ref } from 'vue'
import { apiTokensApi, type ApiTokenCreate, type CreatedApiToken } from '@/api/apiTokens'
import { useAsync } from '@/composables/useAsync'

export const useApiTokensStore = defineStore('apiTokens', () => {
  /** Admins may list every user's tokens; everyone else sees their own. */
  const everyone = ref(false)
  const list = useAsync((signal) => apiTokensApi.list(everyone.value, signal))

  function fetchTokens(): Promise<unknown> {
    return list.execute()
  }

  /** Answers the new token with its secret (shown once), then re-reads the list. Throws the ApiError. */
  async function create(token: ApiTokenCreate): Promise<CreatedApiToken> {
    const created = await apiTokensApi.create(token)
    await fetchTokens()
    return created
  }

  async function revoke(id: string): Promise<void> {
    await apiTokensApi.revoke(id)
    await fetchTokens()
  }

  return { everyone, list, fetchTokens, create, revoke }
})
