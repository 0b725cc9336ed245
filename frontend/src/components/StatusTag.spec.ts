import { mount } from '@vue/test-utils'
import PrimeVue from 'primevue/config'
import { describe, expect, it } from 'vitest'
import StatusTag from './StatusTag.vue'
import { statusSeverity, statusStyle } from './status'

describe('statusSeverity', () => {
  it.each([
    ['queued', 'secondary'],
    ['running', 'info'],
    ['succeeded', 'success'],
    ['failed', 'danger'],
    ['partial', 'warn'],
    ['cancelled', 'contrast'],
    ['ready', 'success'],
    ['not_ready', 'danger'],
    ['pinned', 'success'],
    ['changed', 'danger'],
    ['untrusted', 'warn'],
    ['none', 'secondary'],
    ['debug', 'secondary'],
    ['info', 'info'],
    ['warning', 'warn'],
    ['error', 'danger'],
  ])('%s → %s', (status, severity) => {
    expect(statusSeverity(status)).toBe(severity)
  })

  it('is case-insensitive and neutral for unknown values', () => {
    expect(statusSeverity('FAILED')).toBe('danger')
    expect(statusStyle('timed_out')).toEqual({ severity: 'secondary', label: 'Timed out' })
  })

  it('labels a missing status as "Never" (device never backed up)', () => {
    expect(statusStyle(null).label).toBe('Never')
  })
})

describe('StatusTag', () => {
  const mountTag = (props: { status: string | null; icon?: boolean }) =>
    mount(StatusTag, { props, global: { plugins: [[PrimeVue, { theme: 'none' }]] } })

  it('renders a PrimeVue Tag with the mapped severity and label', () => {
    const wrapper = mountTag({ status: 'failed' })
    const tag = wrapper.get('[data-status="failed"]')
    expect(tag.text()).toBe('Failed')
    expect(tag.classes()).toContain('p-tag-danger')
    expect(tag.find('.pi-times').exists()).toBe(true)
  })

  it('can hide the icon', () => {
    const wrapper = mountTag({ status: 'running', icon: false })
    expect(wrapper.find('.pi').exists()).toBe(false)
    expect(wrapper.get('.p-tag').classes()).toContain('p-tag-info')
  })
})
