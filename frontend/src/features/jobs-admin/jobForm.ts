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
    return { name: '', kind: 'backup', deviceIds: [], tags: [], enabled: true, schedule: emptyScheduleForm() }
  }
  return {
    name: job.name,
    kind: job.kind ?? 'backup',
    deviceIds: [...job.device_ids],
    tags: [...job.tags],
    enabled: job.enabled,
    schedule: formFromSchedule(job.schedule),
  }
}

export function jobInputFrom(form: JobForm): JobInput {
  return {
    name: form.name.trim(),
    kind: form.kind,
    device_ids: form.deviceIds,
    tags: form.tags,
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
  if (!form.deviceIds.length && !form.tags.length) errors.targets = 'Choose at least one device or tag'
  const schedule = validateSchedule(form.schedule, { now, storedRunAt: storedRunAt(job) })
  if (Object.keys(schedule).length) errors.schedule = 'Fix the schedule first'
  return errors
}
