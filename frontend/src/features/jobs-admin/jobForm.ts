// The job editor's form, and the API body it becomes.
import type { JobInput } from '@/api/jobsAdmin'
import type { Job, JobKind } from '@/api/types'
import {
  emptyScheduleForm,
  formFromSchedule,
  scheduleFromForm,
  validateSchedule,
  type ScheduleForm,
} from './scheduleForm'

export interface JobForm {
  name: string
  kind: JobKind
  deviceIds: string[]
  tags: string[]
  /** The source an inventory_sync job syncs. */
  inventorySourceId: string | null
  enabled: boolean
  schedule: ScheduleForm
}

export interface JobFormErrors {
  name?: string
  targets?: string
  schedule?: string
}

export function jobFormFrom(job: Job | null): JobForm {
  if (!job) {
    return {
      name: '',
      kind: 'backup',
      deviceIds: [],
      tags: [],
      inventorySourceId: null,
      enabled: true,
      schedule: emptyScheduleForm(),
    }
  }
  return {
    name: job.name,
    kind: job.kind ?? 'backup',
    deviceIds: [...job.device_ids],
    tags: [...job.tags],
    inventorySourceId: job.inventory_source_id ?? null,
    enabled: job.enabled,
    schedule: formFromSchedule(job.schedule),
  }
}

/** An inventory sync names its source and no targets; other kinds name targets and no source. */
export function jobInputFrom(form: JobForm): JobInput {
  const sync = form.kind === 'inventory_sync'
  return {
    name: form.name.trim(),
    kind: form.kind,
    device_ids: sync ? [] : form.deviceIds,
    tags: sync ? [] : form.tags,
    inventory_source_id: sync ? form.inventorySourceId : null,
    schedule: scheduleFromForm(form.schedule),
    enabled: form.enabled,
  }
}

export function storedRunAt(job: Job | null): Date | null {
  return job?.schedule.type === 'onetime' ? new Date(job.schedule.run_at) : null
}

export function validateJobForm(form: JobForm, job: Job | null, now = new Date()): JobFormErrors {
  const errors: JobFormErrors = {}
  if (!form.name.trim()) errors.name = 'Give the job a name'
  else if (form.name.trim().length > 100) errors.name = 'A name has at most 100 characters'
  if (form.kind === 'inventory_sync') {
    if (!form.inventorySourceId) errors.targets = 'Choose the inventory source to sync'
  } else if (!form.deviceIds.length && !form.tags.length) errors.targets = 'Choose at least one device or tag'
  const schedule = validateSchedule(form.schedule, { now, storedRunAt: storedRunAt(job) })
  if (Object.keys(schedule).length) errors.schedule = 'Fix the schedule first'
  return errors
}
