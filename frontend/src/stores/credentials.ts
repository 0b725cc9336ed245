import { defineStore } from 'pinia'
import { credentialsApi, type Credential, type CredentialInput } from '@/api/credentials'
import { useEditableList } from '@/composables/useEditableList'

export const useCredentialsStore = defineStore('credentials', () => {
  const { list, reload: fetchCredentials, change } = useEditableList((signal) => credentialsApi.list(signal))

  /** Create (no id) or change a credential, then re-read the list. Throws the ApiError. */
  function save(id: string | null, input: Partial<CredentialInput>): Promise<Credential> {
    return change(id ? credentialsApi.update(id, input) : credentialsApi.create(input as CredentialInput))
  }

  function remove(id: string): Promise<void> {
    return change(credentialsApi.remove(id))
  }

  return { list, fetchCredentials, save, remove }
})
