// The platforms a device may name: the built-in drivers and the operator's driver files.
import { http } from './client'
import type { Schema } from './types'

export type Platform = Schema<'PlatformOut'>
export type DriverFileError = Schema<'DriverFileErrorOut'>
/** `errors`: the driver files that did not load (each with its file and field); the rest did. */
export type PlatformList = Schema<'PlatformList'>

export const platformsApi = {
  list: (signal?: AbortSignal) => http.get<PlatformList>('/platforms', undefined, signal),
}
