import { defineStore } from 'pinia'
import { reactive } from 'vue'
import { devicesApi } from '@/api/endpoints'
import { useAsync } from '@/composables/useAsync'

export const useDevicesStore = defineStore('devices', () => {
  const query = reactive({ q: '', limit: 20, offset: 0 })

  const list = useAsync((signal) => devicesApi.list({ ...query }, signal))
  const device = useAsync((signal, id: string) => devicesApi.get(id, signal))
  const configs = useAsync((signal, id: string) => devicesApi.configs(id, signal))
  const config = useAsync((signal, id: string, commit: string) =>
    devicesApi.config(id, commit, signal),
  )

  function fetchDevices(): Promise<unknown> {
    return list.execute()
  }

  function search(q: string): Promise<unknown> {
    query.q = q
    query.offset = 0
    return fetchDevices()
  }

  function setPage(offset: number, limit = query.limit): Promise<unknown> {
    query.offset = offset
    query.limit = limit
    return fetchDevices()
  }

  let openId: string | null = null

  /** Load one device and its config history (the detail page); a reload keeps what is shown. */
  function openDevice(id: string): Promise<unknown> {
    if (id !== openId) {
      // another device: never show the previous one's versions or text meanwhile
      device.reset()
      configs.reset()
      config.reset()
      openId = id
    }
    return Promise.all([device.execute(id), configs.execute(id)])
  }

  return { query, list, device, configs, config, fetchDevices, search, setPage, openDevice }
})
