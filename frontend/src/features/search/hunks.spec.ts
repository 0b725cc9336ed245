import { describe, expect, it } from 'vitest'
import { splitOnQuery, toHunks } from './hunks'

describe('toHunks', () => {
  it('numbers context lines around the match', () => {
    const [hunk] = toHunks([{ line_number: 10, line: 'b', before: ['x', 'a'], after: ['c'] }])
    expect(hunk!.map((l) => [l.number, l.text, l.isMatch])).toEqual([
      [8, 'x', false],
      [9, 'a', false],
      [10, 'b', true],
      [11, 'c', false],
    ])
  })

  it('shows lines shared by neighbouring matches once, keeping both marked', () => {
    const hunks = toHunks([
      { line_number: 3, line: 'three', before: ['one', 'two'], after: ['four', 'five'] },
      { line_number: 4, line: 'four', before: ['two', 'three'], after: ['five', 'six'] },
    ])
    expect(hunks).toHaveLength(1)
    expect(hunks[0]!.map((l) => l.number)).toEqual([1, 2, 3, 4, 5, 6])
    expect(hunks[0]!.filter((l) => l.isMatch).map((l) => l.text)).toEqual(['three', 'four'])
  })

  it('starts a new block after a gap in line numbers', () => {
    const hunks = toHunks([
      { line_number: 2, line: 'a', before: [], after: [] },
      { line_number: 9, line: 'b', before: ['y'], after: [] },
    ])
    expect(hunks.map((h) => h.map((l) => l.number))).toEqual([[2], [8, 9]])
  })
})

describe('splitOnQuery', () => {
  it('marks every occurrence, ignoring case and keeping the original text', () => {
    expect(splitOnQuery('SNMP-server community <redacted> RO snmp', 'snmp')).toEqual([
      { text: 'SNMP', hit: true },
      { text: '-server community <redacted> RO ', hit: false },
      { text: 'snmp', hit: true },
    ])
  })

  it('treats the query as fixed text, not a pattern', () => {
    expect(splitOnQuery('ip route 0.0.0.0 0.0.0.0 10.0.0.1', '0.0.0.0 ').filter((p) => p.hit)).toHaveLength(2)
    expect(splitOnQuery('a.b axb', 'a.b')).toEqual([
      { text: 'a.b', hit: true },
      { text: ' axb', hit: false },
    ])
  })

  it('leaves a line without the query whole', () => {
    expect(splitOnQuery('interface Gi0/1', 'vlan')).toEqual([{ text: 'interface Gi0/1', hit: false }])
    expect(splitOnQuery('', 'x')).toEqual([{ text: '', hit: false }])
  })
})
