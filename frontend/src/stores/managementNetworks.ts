import { defineStore } from 'pinia'
import { managementNetworksApi, type ManagementNetworkInput, type ManagementNetworks } from '@/api/managementNetworks'
import { useAsync } from '@/composables/useAsync'

export const useManagementNetworksStore = defineStore('managementNetworks', () => {
  const state = useAsync((signal) => managementNetworksApi.get(signal))

  function fetchNetworks(): Promise<unknown> {
    return state.execute()
  }

  /** Replace the whole list; the answer (with the devices now outside) becomes the state. Throws the ApiError. */
  async function save(networks: ManagementNetworkInput[]): Promise<ManagementNetworks> {
    const saved = await managementNetworksApi.replace(networks)
    state.data.value = saved
    return saved
  }

  return { state, fetchNetworks, save }
})
