import { describe, expect, it } from 'vitest'
import { DEFAULT_DEVICE_QUERY } from '@/stores/devices'
import { queryFromUrl, urlFromQuery } from './deviceListUrl'
import { apiSort, tableSort } from './deviceSort'

describe('the devices list in the URL', () => {
  it('round-trips filters, sorting and the page', () => {
    const url = {
      q: 'core',
      tag: 'site-a',
      device_type: 'juniper_junos',
      status: 'failed',
      reachability: 'unreachable',
      host_key_status: 'changed',
      compliance: 'noncompliant',
      model: 'C9300',
      os_version: '17.3',
      serial_number: 'FCW22',
      orphaned: 'true',
      stale: 'true',
      site: 'branch-1',
      sort: '-last_backup_at',
      limit: '50',
      page: '3',
    }
    const query = queryFromUrl(url)
    expect(query).toEqual({
      q: 'core',
      tag: 'site-a',
      device_type: 'juniper_junos',
      status: 'failed',
      reachability: 'unreachable',
      host_key_status: 'changed',
      compliance: 'noncompliant',
      model: 'C9300',
      os_version: '17.3',
      serial_number: 'FCW22',
      orphaned: 'true',
      stale: 'true',
      site: 'branch-1',
      sort: '-last_backup_at',
      limit: 50,
      offset: 100,
    })
    expect(urlFromQuery(query)).toEqual(url)
  })

  it('leaves defaults out and ignores what it does not understand', () => {
    expect(urlFromQuery({ ...DEFAULT_DEVICE_QUERY })).toEqual({})
    expect(queryFromUrl({ status: 'sideways', reachability: 'maybe', host_key_status: 'trusted', orphaned: 'maybe', stale: 'yes', sort: 'drop table', limit: '7', page: '-2' })).toEqual(DEFAULT_DEVICE_QUERY)
  })
})

describe('sorting', () => {
  it('maps table columns and directions to the API sort keys and back', () => {
    expect(apiSort('hostname', -1)).toBe('-hostname')
    expect(apiSort('last_backup_at', 1)).toBe('last_backup_at')
    expect(apiSort('device_type', -1)).toBe('device_type')
    expect(apiSort(undefined, null)).toBe('hostname')
    expect(tableSort('-last_backup_at')).toEqual({ field: 'last_backup_at', order: -1 })
  })
})
