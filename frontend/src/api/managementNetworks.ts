// The address ranges devices may live in. Everyone reads them; admins replace the whole list.
import { http, request } from './client'
import type { Schema } from './types'

export type ManagementNetwork = Schema<'ManagementNetworkOut'>
export type ManagementNetworkInput = Schema<'ManagementNetworkIn'>
export type DeviceOutside = Schema<'DeviceOutside'>

/** `enforced` is false when the list is empty: then any address is allowed. `devices_outside`: devices
 * whose address is in none of the networks (added before the list, or since it changed). */
export type ManagementNetworks = Schema<'ManagementNetworksOut'>

export const managementNetworksApi = {
  get: (signal?: AbortSignal) => http.get<ManagementNetworks>('/management-networks', undefined, signal),
  replace: (networks: ManagementNetworkInput[]) =>
    request<ManagementNetworks>('/management-networks', { method: 'PUT', json: { networks } }),
}
