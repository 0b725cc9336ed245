// Admin changes to what NetRaven trusts about a device: its pinned SSH host key and its bound
// credential. Each change re-reads the device (and the list, when shown) from the API.
import { defineStore } from 'pinia'
import { ApiError } from '@/api/client'
import { hostKeysApi, type KnownHostsReport } from '@/api/hostKeys'
import { useDevicesStore } from './devices'

export const useDeviceTrustStore = defineStore('deviceTrust', () => {
  const devices = useDevicesStore()

  async function reload(deviceId: string | null): Promise<void> {
    await Promise.all([
      deviceId !== null && devices.device.data?.id === deviceId ? devices.device.execute(deviceId) : null,
      devices.list.loaded ? devices.fetchDevices() : null,
    ])
  }

  /** Throws the ApiError; on a 409 the device offered another key since, so it is re-read too. */
  async function acceptHostKey(deviceId: string, fingerprint: string): Promise<void> {
    try {
      await hostKeysApi.accept(deviceId, fingerprint)
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) await reload(deviceId)
      throw err
    }
    await reload(deviceId)
  }

  async function pinHostKey(deviceId: string, publicKey: string): Promise<void> {
    await hostKeysApi.pin(deviceId, publicKey.trim())
    await reload(deviceId)
  }

  async function clearHostKey(deviceId: string): Promise<void> {
    await hostKeysApi.clear(deviceId)
    await reload(deviceId)
  }

  async function unbindCredential(deviceId: string): Promise<void> {
    await hostKeysApi.unbindCredential(deviceId)
    await reload(deviceId)
  }

  async function importKnownHosts(knownHosts: string): Promise<KnownHostsReport> {
    const report = await hostKeysApi.importKnownHosts(knownHosts)
    await reload(null)
    return report
  }

  return { acceptHostKey, pinHostKey, clearHostKey, unbindCredential, importKnownHosts }
})
