import { describe, expect, it } from 'vitest'
import { splitRows, unifiedRows } from './diffRows'

// What gitkeeper answers for these two versions of a config:
//   old: hostname r1 / ! / interface Gi0/1 / description uplink / ! / end
//   new: hostname r1 / ! / interface Gi0/1 / description core uplink / shutdown / ! / end
const GIT_DIFF = [
  'diff --git a/r1.cfg b/r1.cfg',
  'index 3b18e51..a7bc997 100644',
  '--- a/r1.cfg',
  '+++ b/r1.cfg',
  '@@ -2,5 +2,6 @@',
  ' !',
  ' interface Gi0/1',
  '- description uplink',
  '+ description core uplink',
  '+ shutdown',
  ' !',
  ' end',
  '',
].join('\n')

describe('unifiedRows', () => {
  it('numbers old and new lines and marks what was added and removed', () => {
    const rows = unifiedRows(GIT_DIFF)
    expect(rows[0]).toEqual({ type: 'hunk', header: '@@ -2,5 +2,6 @@' })
    expect(rows.slice(1)).toEqual([
      { type: 'line', kind: 'context', oldNumber: 2, newNumber: 2, text: '!' },
      { type: 'line', kind: 'context', oldNumber: 3, newNumber: 3, text: 'interface Gi0/1' },
      { type: 'line', kind: 'removed', oldNumber: 4, newNumber: null, text: ' description uplink' },
      { type: 'line', kind: 'added', oldNumber: null, newNumber: 4, text: ' description core uplink' },
      { type: 'line', kind: 'added', oldNumber: null, newNumber: 5, text: ' shutdown' },
      { type: 'line', kind: 'context', oldNumber: 5, newNumber: 6, text: '!' },
      { type: 'line', kind: 'context', oldNumber: 6, newNumber: 7, text: 'end' },
    ])
  })

  it('has no rows for two equal versions (an empty diff)', () => {
    expect(unifiedRows('')).toEqual([])
    expect(splitRows('\n')).toEqual([])
  })

  it('drops the "no newline at end of file" marker', () => {
    const diff = '--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n'
    expect(unifiedRows(diff).map((r) => (r.type === 'line' ? r.text : r.header))).toEqual(['@@ -1,1 +1,1 @@', 'a', 'b'])
  })
})

describe('splitRows', () => {
  it('puts a changed line beside its new form and an added line beside a blank', () => {
    const lines = splitRows(GIT_DIFF).filter((row) => row.type === 'line')
    expect(lines).toHaveLength(6)
    expect(lines[2]).toEqual({
      type: 'line',
      left: { kind: 'removed', number: 4, text: ' description uplink' },
      right: { kind: 'added', number: 4, text: ' description core uplink' },
    })
    expect(lines[3]).toEqual({ type: 'line', left: null, right: { kind: 'added', number: 5, text: ' shutdown' } })
    expect(lines[4]).toEqual({
      type: 'line',
      left: { kind: 'context', number: 5, text: '!' },
      right: { kind: 'context', number: 6, text: '!' },
    })
  })

  it('keeps hunks apart', () => {
    const diff = '--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-a\n+A\n b\n@@ -10,2 +10,2 @@\n c\n-d\n+D\n'
    const headers = splitRows(diff).filter((row) => row.type === 'hunk')
    expect(headers).toEqual([
      { type: 'hunk', header: '@@ -1,2 +1,2 @@' },
      { type: 'hunk', header: '@@ -10,2 +10,2 @@' },
    ])
  })
})
