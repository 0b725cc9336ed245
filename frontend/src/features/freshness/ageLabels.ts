import type { AgeBucket } from '@/api/types'

/** What each age bucket counts: the age of a device's last good backup. */
export const AGE_BUCKET_LABELS: Record<AgeBucket, string> = {
  '1h': 'under 1 h',
  '6h': '1–6 h',
  '24h': '6–24 h',
  '7d': '1–7 days',
  older: 'older',
  never: 'never',
}

/** "45 min", "5 h", "3 days": how old a last good backup is, at a glance. */
export function formatAge(seconds: number): string {
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`
  if (seconds < 2 * 86_400) return `${Math.floor(seconds / 3600)} h`
  return `${Math.floor(seconds / 86_400)} days`
}
