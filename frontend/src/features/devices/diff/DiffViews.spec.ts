import { mount } from '@vue/test-utils'
import { createTwoFilesPatch } from 'diff'
import { describe, expect, it } from 'vitest'
import SplitDiff from './SplitDiff.vue'
import UnifiedDiff from './UnifiedDiff.vue'

const OLD = 'hostname r1\n!\nsnmp-server location lab\nntp server 10.0.0.1\n'
const NEW = 'hostname r1\n!\nsnmp-server location core\nntp server 10.0.0.1\nntp server 10.0.0.2\n'
const PATCH = createTwoFilesPatch('r1.cfg', 'r1.cfg', OLD, NEW)

describe('UnifiedDiff', () => {
  it('shows every line once, coloured by what happened to it, with + and - marks', () => {
    const wrapper = mount(UnifiedDiff, { props: { diff: PATCH } })
    const removed = wrapper.findAll('tr[data-kind="removed"]')
    const added = wrapper.findAll('tr[data-kind="added"]')
    expect(removed.map((r) => r.text())).toEqual(['3-snmp-server location lab'])
    expect(added.map((r) => r.text())).toEqual(['3+snmp-server location core', '5+ntp server 10.0.0.2'])
    expect(removed[0]!.classes()).toContain('bg-red-100')
    expect(added[0]!.classes()).toContain('bg-green-100')
    expect(wrapper.findAll('tr[data-kind="context"]')).toHaveLength(3)
  })
})

describe('SplitDiff', () => {
  it('shows the old text on the left and the new on the right, changed lines side by side', () => {
    const wrapper = mount(SplitDiff, { props: { diff: PATCH } })
    const left = wrapper.findAll('td[data-side="old"]').map((td) => [td.attributes('data-kind'), td.text()])
    const right = wrapper.findAll('td[data-side="new"]').map((td) => [td.attributes('data-kind'), td.text()])
    expect(left).toEqual([
      ['context', 'hostname r1'],
      ['context', '!'],
      ['removed', 'snmp-server location lab'],
      ['context', 'ntp server 10.0.0.1'],
      ['blank', ''],
    ])
    expect(right).toEqual([
      ['context', 'hostname r1'],
      ['context', '!'],
      ['added', 'snmp-server location core'],
      ['context', 'ntp server 10.0.0.1'],
      ['added', 'ntp server 10.0.0.2'],
    ])
    expect(wrapper.find('td[data-kind="removed"]').classes()).toContain('bg-red-100')
  })
})

describe('a diff the parser cannot read', () => {
  it('is shown as plain text rather than breaking the page', () => {
    const broken = '--- a/x\n+++ b/x\n@@ -1,1 +1,1 @@\n-a\n+b\n c\n d\n'
    const wrapper = mount(UnifiedDiff, { props: { diff: broken } })
    expect(wrapper.find('[data-test="raw-diff"]').text()).toContain('+b')
  })
})
