import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import ConfigViewer from './ConfigViewer.vue'

describe('ConfigViewer', () => {
  it('numbers every line and ignores the trailing newline', () => {
    const wrapper = mount(ConfigViewer, { props: { text: 'hostname r1\n!\ninterface Gi0/1\n' } })
    const numbers = wrapper.findAll('[data-test="line-number"]').map((td) => td.text())
    expect(numbers).toEqual(['1', '2', '3'])
    expect(wrapper.text()).toContain('interface Gi0/1')
  })
})
