// The one colour mapping for run statuses, backup statuses, reachability, host keys, service readiness,
// git mirrors, compliance and log levels.

export type TagSeverity = 'secondary' | 'info' | 'success' | 'warn' | 'danger' | 'contrast'

interface StatusStyle {
  severity: TagSeverity
  label: string
  icon?: string
}

const STYLES: Record<string, StatusStyle> = {
  // run / backup statuses
  queued: { severity: 'secondary', label: 'Queued', icon: 'pi pi-clock' },
  running: { severity: 'info', label: 'Running', icon: 'pi pi-spin pi-spinner' },
  succeeded: { severity: 'success', label: 'Succeeded', icon: 'pi pi-check' },
  failed: { severity: 'danger', label: 'Failed', icon: 'pi pi-times' },
  partial: { severity: 'warn', label: 'Partial', icon: 'pi pi-exclamation-triangle' },
  // neither grey (queued, not started) nor red: an operator stopped it on purpose
  cancelled: { severity: 'contrast', label: 'Cancelled', icon: 'pi pi-stop-circle' },
  // device reachability
  reachable: { severity: 'success', label: 'Reachable', icon: 'pi pi-wifi' },
  unreachable: { severity: 'danger', label: 'Unreachable', icon: 'pi pi-ban' },
  unknown: { severity: 'secondary', label: 'Unknown', icon: 'pi pi-question-circle' },
  // device SSH host keys: a changed key may be an attack, an untrusted one waits for an admin
  pinned: { severity: 'success', label: 'Pinned', icon: 'pi pi-lock' },
  changed: { severity: 'danger', label: 'Changed', icon: 'pi pi-exclamation-triangle' },
  untrusted: { severity: 'warn', label: 'Untrusted', icon: 'pi pi-question-circle' },
  none: { severity: 'secondary', label: 'Not pinned', icon: 'pi pi-lock-open' },
  // service instances
  ready: { severity: 'success', label: 'Ready', icon: 'pi pi-check-circle' },
  not_ready: { severity: 'danger', label: 'Not ready', icon: 'pi pi-exclamation-circle' },
  // notification deliveries (failed: above) and severities
  pending: { severity: 'secondary', label: 'Pending', icon: 'pi pi-clock' },
  delivered: { severity: 'success', label: 'Delivered', icon: 'pi pi-send' },
  digest_queued: { severity: 'info', label: 'In next digest', icon: 'pi pi-inbox' },
  digested: { severity: 'success', label: 'Sent in digest', icon: 'pi pi-send' },
  critical: { severity: 'danger', label: 'Critical' },
  // git mirrors of the config repository (pending: above)
  ok: { severity: 'success', label: 'OK', icon: 'pi pi-check-circle' },
  failing: { severity: 'danger', label: 'Failing', icon: 'pi pi-exclamation-triangle' },
  // compliance: a device's newest evaluation, and a rule's severity (critical: above)
  compliant: { severity: 'success', label: 'Compliant', icon: 'pi pi-check-circle' },
  noncompliant: { severity: 'danger', label: 'Non-compliant', icon: 'pi pi-times-circle' },
  passed: { severity: 'success', label: 'Passed', icon: 'pi pi-check' },
  // log levels
  debug: { severity: 'secondary', label: 'Debug' },
  info: { severity: 'info', label: 'Info' },
  warning: { severity: 'warn', label: 'Warning' },
  error: { severity: 'danger', label: 'Error' },
}

function titleCase(value: string): string {
  return value ? value.charAt(0).toUpperCase() + value.slice(1).replace(/_/g, ' ') : value
}

/** Style for a status or level; unknown values get a neutral tag with their own name. */
export function statusStyle(status: string | null | undefined): StatusStyle {
  if (!status) return { severity: 'secondary', label: 'Never' }
  return STYLES[status.toLowerCase()] ?? { severity: 'secondary', label: titleCase(status) }
}

export function statusSeverity(status: string | null | undefined): TagSeverity {
  return statusStyle(status).severity
}
