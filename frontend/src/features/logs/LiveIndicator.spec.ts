import { mount } from '@vue/test-utils'
import PrimeVue from 'primevue/config'
import { describe, expect, it } from 'vitest'
import type { LogStreamState } from '@/composables/useLogStream'
import LiveIndicator from './LiveIndicator.vue'

function mountIndicator(state: LogStreamState, error: string | null = null) {
  return mount(LiveIndicator, {
    props: { state, error },
    global: { plugins: [[PrimeVue, { theme: 'none' }]] },
  })
}

describe('LiveIndicator', () => {
  it.each([
    ['live', 'Live', 'Pause live'],
    ['connecting', 'Connecting…', 'Pause live'],
    ['reconnecting', 'Reconnecting…', 'Pause live'],
    ['paused', 'Paused', 'Resume live'],
  ] as const)('%s reads "%s" with a "%s" button', (state, label, button) => {
    const wrapper = mountIndicator(state)
    expect(wrapper.get('[role="status"]').text()).toBe(label)
    expect(wrapper.get('button').text()).toBe(button)
  })

  it('says why it is reconnecting', () => {
    const wrapper = mountIndicator('reconnecting', 'the live log connection dropped')
    expect(wrapper.get('[role="status"]').attributes('title')).toBe('the live log connection dropped; trying again')
  })

  it('asks to toggle when the button is pressed', async () => {
    const wrapper = mountIndicator('live')
    await wrapper.get('button').trigger('click')
    expect(wrapper.emitted('toggle')).toHaveLength(1)
  })
})
