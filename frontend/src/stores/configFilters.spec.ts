import { beforeEach, describe, expect, it } from 'vitest'
import type { ConfigFilterDetail } from '@/api/configFilters'
import { fakeApi, freshPinia, jsonResponse } from '@/test/helpers'
import { useConfigFiltersStore } from './configFilters'

const V1 = {
  version: 1,
  redactions: [{ pattern: '^(snmp-server location) .+', separator: ' ' }],
  noise: [],
  enabled: true,
  comment: '',
  saved_by: 'admin',
  saved_at: '2026-12-01T10:00:00Z',
}
const FILTER: ConfigFilterDetail = {
  id: 'f1',
  name: 'locations',
  platform: 'cisco_ios',
  tag: null,
  tag_id: null,
  redactions: V1.redactions,
  noise: [],
  enabled: true,
  version: 1,
  created_at: '2026-12-01T10:00:00Z',
  updated_at: '2026-12-01T10:00:00Z',
  versions: [V1],
}
const INPUT = {
  name: 'locations',
  platform: 'cisco_ios',
  tag: null,
  redactions: V1.redactions,
  noise: ['^ntp clock-period'],
  enabled: true,
  comment: 'drop the clock',
}

beforeEach(() => freshPinia())

describe('useConfigFiltersStore', () => {
  it('saves a new version with a PUT of the whole filter and re-reads the list', async () => {
    const saved = { ...FILTER, version: 2, noise: INPUT.noise }
    const calls = fakeApi({
      'PUT /api/config-filters/f1': () => jsonResponse(saved),
      'GET /api/config-filters': () => jsonResponse([saved]),
    })
    const store = useConfigFiltersStore()
    await store.save('f1', INPUT)
    expect(calls.map((c) => c.call)).toEqual(['PUT /api/config-filters/f1', 'GET /api/config-filters'])
    expect(calls[0]!.body).toEqual(INPUT)
    expect(store.list.data?.[0]?.version).toBe(2)
  })

  it('creates with a POST when there is no id yet', async () => {
    const calls = fakeApi({
      'POST /api/config-filters': () => jsonResponse(FILTER, 201),
      'GET /api/config-filters': () => jsonResponse([FILTER]),
    })
    await useConfigFiltersStore().save(null, INPUT)
    expect(calls[0]!.call).toBe('POST /api/config-filters')
  })

  it('restores an old version and shows the new history', async () => {
    const restored = { ...FILTER, version: 3, versions: [{ ...V1, version: 3, comment: 'restored version 1' }, V1] }
    const calls = fakeApi({
      'POST /api/config-filters/f1/versions/1/restore': () => jsonResponse(restored),
      'GET /api/config-filters': () => jsonResponse([restored]),
    })
    const store = useConfigFiltersStore()
    await store.restore('f1', 1)
    expect(calls[0]!.body).toEqual({ comment: '' })
    expect(store.history.data?.versions[0]?.comment).toBe('restored version 1')
  })

  it('previews candidate patterns without saving, and keeps a refusal as the error', async () => {
    const answer = {
      device_id: 'd1',
      hostname: 'core-1',
      commit: 'abc1234',
      before: 'a\n',
      after: 'b\n',
      diff: '-a\n+b\n',
      redacted: 1,
      dropped: 0,
    }
    const calls = fakeApi({ 'POST /api/config-filters/preview': () => jsonResponse(answer) })
    const store = useConfigFiltersStore()
    const input = { device_id: 'd1', redactions: V1.redactions, noise: [] }
    await store.preview.execute(input)
    expect(calls.map((c) => c.call)).toEqual(['POST /api/config-filters/preview'])
    expect(calls[0]!.body).toEqual(input)
    expect(store.preview.data?.redacted).toBe(1)

    fakeApi({
      'POST /api/config-filters/preview': () =>
        jsonResponse({ error: 'core-1 has no stored config yet: back it up first', detail: null }, 404),
    })
    await store.preview.execute(input)
    expect(store.preview.error?.message).toBe('core-1 has no stored config yet: back it up first')
  })
})
