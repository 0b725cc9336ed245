import { defineStore } from 'pinia'
import { credentialsApi, type Credential, type CredentialInput } from '@/api/credentials'
import { useAsync } from '@/composables/useAsync'

export const useCredentialsStore = defineStore('credentials', () => {
  const list = useAsync((signal) => credentialsApi.list(signal))

  function fetchCredentials(): Promise<unknown> {
    return list.execute()
  }

  /** Create (no id) or change a credential, then re-read the list. Throws the ApiError. */
  async function save(id: string | null, input: Partial<CredentialInput>): Promise<Credential> {
    const saved = id
      ? await credentialsApi.update(id, input)
      : await credentialsApi.create(input as CredentialInput)
    await fetchCredentials()
    return saved
  }

  async function remove(id: string): Promise<void> {
    await credentialsApi.remove(id)
    await fetchCredentials()
  }

  return { list, fetchCredentials, save, remove }
})
