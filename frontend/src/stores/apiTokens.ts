import { defineStore } from 'pinia'
import { ref } from 'vue'
import { apiTokensApi, type ApiTokenCreate, type CreatedApiToken } from '@/api/apiTokens'
import { useEditableList } from '@/composables/useEditableList'

export const useApiTokensStore = defineStore('apiTokens', () => {
  /** Admins may list every user's tokens; everyone else sees their own. */
  const everyone = ref(false)
  const { list, reload: fetchTokens, change } = useEditableList((signal) =>
    apiTokensApi.list(everyone.value, signal),
  )

  /** Answers the new token with its secret (shown once), then re-reads the list. Throws the ApiError. */
  function create(token: ApiTokenCreate): Promise<CreatedApiToken> {
    return change(apiTokensApi.create(token))
  }

  function revoke(id: string): Promise<void> {
    return change(apiTokensApi.revoke(id))
  }

  return { everyone, list, fetchTokens, create, revoke }
})
