// Shared test data: a valid object to change only what a test is about.
import type { RejectedEvent } from '@/api/busTypes'
import type { LogEntry } from '@/api/logTypes'
import type { Device, User } from '@/api/types'
import type { RunProgress } from '@/composables/useRunStream'

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
    transport: 'ssh',
    jump_host_id: null,
    tags: [],
    last_backup_status: null,
    last_backup_at: null,
    ...changes,
  }
}

/** A worker's info line of a job, tied to no job, run or device; `changes` replace its fields. */
export function makeLogEntry(id: number, changes: Partial<LogEntry> = {}): LogEntry {
  return {
    id,
    timestamp: '2026-03-01T12:00:00Z',
    level: 'info',
    log_type: 'job',
    message: `line ${id}`,
    source: 'worker',
    job_id: null,
    run_id: null,
    device_id: null,
    extra: {},
    ...changes,
  }
}

/** Alice, a local viewer with nothing to change; `changes` replace her fields. */
export function makeUser(changes: Partial<User> = {}): User {
  return { id: 'u1', username: 'alice', role: 'viewer', auth_source: 'local', must_change_password: false, ...changes }
}

/** Run r1, an ad-hoc backup of two devices, one done, as the run stream announces it. */
export function makeRunProgress(changes: Partial<RunProgress> = {}): RunProgress {
  return {
    run_id: 'r1',
    job_id: null,
    kind: 'backup',
    status: 'running',
    device_count: 2,
    succeeded_count: 1,
    failed_count: 0,
    started_at: '2026-12-06T04:40:01Z',
    finished_at: null,
    occurred_at: '2026-12-06T04:40:12Z',
    ...changes,
  }
}

/** An event gitkeeper refused from a worker, an hour before noon on 2026-12-05. */
export function makeRejectedEvent(id: number, changes: Partial<RejectedEvent> = {}): RejectedEvent {
  return {
    id,
    occurred_at: '2026-12-05T11:00:00Z',
    rejected_subject: 'netraven.backups.succeeded',
    reason: `device ${id} is not in the inventory`,
    service: 'gitkeeper',
    identity: 'worker',
    ...changes,
  }
}
