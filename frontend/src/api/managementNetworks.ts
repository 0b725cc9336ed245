// The address ranges devices may live in. Everyone reads them; admins replace the whole list.
import { http, request } from './client'

export interface ManagementNetwork {
  id: string
  cidr: string
  description: string
  created_at: string
}

export interface ManagementNetworkInput {
  cidr: string
  description: string
}

export interface DeviceOutside {
  id: string
  hostname: string
  ip_address: string
}

export interface ManagementNetworks {
  networks: ManagementNetwork[]
  /** False when the list is empty: then any address is allowed. */
  enforced: boolean
  /** Devices whose address is in none of the networks (added before the list, or since it changed). */
  devices_outside: DeviceOutside[]
}

export const managementNetworksApi = {
  get: (signal?: AbortSignal) => http.get<ManagementNetworks>('/management-networks', undefined, signal),
  replace: (networks: ManagementNetworkInput[]) =>
    request<ManagementNetworks>('/management-networks', { method: 'PUT', json: { networks } }),
}
