// How a platform's driver reads the config, in the words and default ports the dashboard shows.
import type { Platform } from '@/api/platforms'

export type PlatformInput = Platform['input']

export const PLATFORM_INPUTS: Record<PlatformInput, { label: string; port: number }> = {
  cli: { label: 'CLI over SSH', port: 22 },
  panos_xml_api: { label: 'PAN-OS XML API over HTTPS', port: 443 },
  netconf: { label: 'NETCONF over SSH', port: 830 },
}

/** The usual port of a device of this type (its driver's input); a type with no driver: SSH's. */
export function defaultPort(platforms: Platform[], deviceType: string): number {
  const input = platforms.find((p) => p.platform === deviceType)?.input ?? 'cli'
  return PLATFORM_INPUTS[input].port
}
