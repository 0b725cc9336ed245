import { defineStore } from 'pinia'
import { reactive } from 'vue'
import { devicesApi } from '@/api/endpoints'
import { tagsApi } from '@/api/tags'
import type { ComplianceStatus } from '@/api/compliance'
import type { HostKeyStatus } from '@/api/hostKeyTypes'
import type {
  BackupStatus,
  DeviceInput,
  DeviceSort,
  OrphanedFilter,
  ReachabilityStatus,
  StaleFilter,
  RunDetail,
} from '@/api/types'
import { useAsync } from '@/composables/useAsync'
import { waitForRun } from '@/features/devices/runs/waitForRun'

export interface DeviceListQuery {
  q: string
  tag: string | null
  device_type: string | null
  status: BackupStatus | null
  reachability: ReachabilityStatus | null
  host_key_status: HostKeyStatus | null
  compliance: ComplianceStatus | null
  model: string | null
  os_version: string | null
  serial_number: string | null
  orphaned: OrphanedFilter | null
  stale: StaleFilter | null
  /** A remote site's name, or `central` for the devices no site serves. */
  site: string | null
  sort: DeviceSort
  limit: number
  offset: number
}

export const DEFAULT_DEVICE_QUERY: Readonly<DeviceListQuery> = {
  q: '',
  tag: null,
  device_type: null,
  status: null,
  reachability: null,
  host_key_status: null,
  compliance: null,
  model: null,
  os_version: null,
  serial_number: null,
  orphaned: null,
  stale: null,
  site: null,
  sort: 'hostname',
  limit: 20,
  offset: 0,
}

export const useDevicesStore = defineStore('devices', () => {
  const query = reactive<DeviceListQuery>({ ...DEFAULT_DEVICE_QUERY })

  const list = useAsync((signal) => devicesApi.list({ ...query }, signal))
  const tags = useAsync((signal) => tagsApi.list(signal))
  const device = useAsync((signal, id: string) => devicesApi.get(id, signal))
  const configs = useAsync((signal, id: string) => devicesApi.configs(id, signal))
  const config = useAsync((signal, id: string, commit: string, output: string | null = null) =>
    devicesApi.config(id, commit, output, signal),
  )
  const diff = useAsync(
    (signal, id: string, from: string, to: string, output: string | null = null) =>
      devicesApi.diff(id, from, to, output, signal),
  )
  /** Devices whose reachability check is under way. */
  const checking = reactive(new Set<string>())

  function fetchDevices(): Promise<unknown> {
    return list.execute()
  }

  /** Change filters, sorting or paging; a change that names no offset goes back to the first page. */
  function setQuery(next: Partial<DeviceListQuery>): Promise<unknown> {
    Object.assign(query, next)
    if (next.offset === undefined) query.offset = 0
    return fetchDevices()
  }

  function search(q: string): Promise<unknown> {
    return setQuery({ q })
  }

  function setPage(offset: number, limit = query.limit): Promise<unknown> {
    return setQuery({ offset, limit })
  }

  let openId: string | null = null

  /** Load one device and its config history (the detail page); a reload keeps what is shown. */
  function openDevice(id: string): Promise<unknown> {
    if (id !== openId) {
      // another device: never show the previous one's versions, text or diff meanwhile
      device.reset()
      configs.reset()
      config.reset()
      diff.reset()
      openId = id
    }
    return Promise.all([device.execute(id), configs.execute(id)])
  }

  async function createDevice(input: DeviceInput) {
    const created = await devicesApi.create(input)
    void fetchDevices()
    return created
  }

  async function updateDevice(id: string, changes: Partial<DeviceInput>) {
    const updated = await devicesApi.update(id, changes)
    if (device.data.value?.id === id) device.data.value = updated
    void fetchDevices()
    return updated
  }

  async function deleteDevice(id: string): Promise<void> {
    await devicesApi.remove(id)
    void fetchDevices()
  }

  /** Check that the device answers on SSH, wait for the run, then show the new reachability. */
  async function checkReachability(id: string): Promise<RunDetail> {
    checking.add(id)
    try {
      const { run_id } = await devicesApi.checkReachability(id)
      return await waitForRun(run_id)
    } finally {
      checking.delete(id)
      if (list.loaded.value) void fetchDevices()
      if (device.data.value?.id === id) void device.execute(id)
    }
  }

  return {
    query,
    list,
    tags,
    device,
    configs,
    config,
    diff,
    checking,
    fetchDevices,
    setQuery,
    search,
    setPage,
    openDevice,
    createDevice,
    updateDevice,
    deleteDevice,
    checkReachability,
  }
})
