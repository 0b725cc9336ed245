// What the import dialog sends: a CSV or JSON text, read from a file or pasted, as the server reads it.

export type ImportFormat = 'text/csv' | 'application/json'

export const CSV_EXAMPLE = 'hostname,ip_address,device_type,port,tags\ncore-sw-01,10.0.0.2,cisco_ios,22,core;site-a'

/** A pasted text or a file is JSON when it is named .json or starts like JSON, else CSV. */
export function detectFormat(text: string, fileName?: string): ImportFormat {
  if (fileName) return fileName.toLowerCase().endsWith('.json') ? 'application/json' : 'text/csv'
  return /^\s*[[{]/.test(text) ? 'application/json' : 'text/csv'
}

/** The server takes `{"devices": [...]}`; a bare JSON list is wrapped, anything else is sent as is. */
export function importBody(text: string, format: ImportFormat): string {
  if (format !== 'application/json') return text
  try {
    const parsed: unknown = JSON.parse(text)
    return Array.isArray(parsed) ? JSON.stringify({ devices: parsed }) : text
  } catch {
    return text // the server explains what is wrong with it
  }
}
