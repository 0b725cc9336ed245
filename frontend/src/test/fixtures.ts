// Shared test data: a valid object to change only what a test is about.
import type { Device } from '@/api/types'

/** A device as the API sends it, with no backup yet; `changes` replace its fields. */
export function makeDevice(changes: Partial<Device> = {}): Device {
  return {
    id: 'd1',
    hostname: 'core-sw-01',
    ip_address: '10.0.0.2',
    device_type: 'cisco_ios',
    port: 22,
    timeout_seconds: null,
    legacy_ssh: false,
    tags: [],
    last_backup_status: null,
    last_backup_at: null,
    ...changes,
  }
}
