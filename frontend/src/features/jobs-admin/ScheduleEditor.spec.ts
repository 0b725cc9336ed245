import { flushPromises } from '@vue/test-utils'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick, ref } from 'vue'
import { freezeDate, freshPinia, mountWithPrime } from '@/test/helpers'
import ScheduleEditor from './ScheduleEditor.vue'
import { emptyScheduleForm, type ScheduleForm } from './scheduleForm'
import { formatRunTime } from './scheduleText'

function mountEditor(changes: Partial<ScheduleForm>, props: Record<string, unknown> = {}) {
  const form = ref<ScheduleForm>({ ...emptyScheduleForm(), ...changes })
  const wrapper = mountWithPrime(ScheduleEditor, freshPinia(), {
    props: {
      modelValue: form.value,
      'onUpdate:modelValue': (value: ScheduleForm) => (form.value = value),
      ...props,
    },
  })
  return { wrapper, form }
}

// jsdom has no matchMedia; PrimeVue's Select and DatePicker listen to it for their layout.
const noMediaMatch = (query: string) =>
  ({ matches: false, media: query, addEventListener: () => {}, removeEventListener: () => {} }) as unknown as MediaQueryList

beforeEach(() => vi.stubGlobal('matchMedia', noMediaMatch))
freezeDate(new Date('2026-03-06T12:00:00Z'))

describe('ScheduleEditor', () => {
  it('previews a cron schedule in words and lists its next five runs from the chosen timezone', async () => {
    const { wrapper } = mountEditor({ type: 'cron', expression: '0 9 * * 1-5', timezone: 'America/New_York' })
    await flushPromises()

    expect(wrapper.get('[data-test="schedule-words"]').text()).toBe(
      'At 09:00, Monday through Friday (America/New_York)',
    )
    const runs = wrapper.findAll('[data-test="next-runs"] li')
    expect(runs).toHaveLength(5)
    // 09:00 EST on Friday, then 09:00 EDT on Monday: the local times come from the instants.
    expect(runs[0]!.text()).toContain(formatRunTime(new Date('2026-03-06T14:00:00Z')))
    expect(runs[1]!.text()).toContain(formatRunTime(new Date('2026-03-09T13:00:00Z')))
    expect(runs[0]!.text()).toContain(formatRunTime(new Date('2026-03-06T14:00:00Z'), 'America/New_York'))
  })

  it('shows why a cron expression is refused, and no preview', async () => {
    const { wrapper } = mountEditor({ type: 'cron', expression: '0 9 * *', timezone: 'UTC' })
    await nextTick()
    expect(wrapper.text()).toContain('A cron expression has 5 fields')
    expect(wrapper.find('[data-test="schedule-preview"]').exists()).toBe(false)
  })

  it('previews an interval, and says a new job first runs on saving', async () => {
    const { wrapper } = mountEditor({ type: 'interval', intervalValue: 30, intervalUnit: 'minutes' })
    await nextTick()
    expect(wrapper.get('[data-test="schedule-words"]').text()).toBe('Every 30 minutes')
    const runs = wrapper.findAll('[data-test="next-runs"] li')
    expect(runs[0]!.text()).toContain('right after saving')
    expect(runs[1]!.text()).toContain(formatRunTime(new Date('2026-03-06T12:30:00Z')))
  })

  it('refuses an interval under a minute', async () => {
    const { wrapper } = mountEditor({ type: 'interval', intervalValue: 30, intervalUnit: 'seconds' })
    await nextTick()
    expect(wrapper.text()).toContain('The interval is at least 60 seconds')
  })

  it('counts an existing interval job from its creation', async () => {
    const { wrapper } = mountEditor(
      { type: 'interval', intervalValue: 1, intervalUnit: 'hours' },
      { createdAt: '2026-03-06T11:45:00Z' },
    )
    await nextTick()
    const first = wrapper.findAll('[data-test="next-runs"] li')[0]!
    expect(first.text()).toContain(formatRunTime(new Date('2026-03-06T12:45:00Z')))
    expect(first.text()).not.toContain('right after saving')
  })

  it('shows a one-time run ahead, and refuses one in the past', async () => {
    const ahead = mountEditor({ type: 'onetime', runAt: new Date('2026-03-07T08:00:00Z') })
    await nextTick()
    expect(ahead.wrapper.findAll('[data-test="next-runs"] li')).toHaveLength(1)

    const past = mountEditor({ type: 'onetime', runAt: new Date('2026-03-05T08:00:00Z') })
    await nextTick()
    expect(past.wrapper.text()).toContain('in the past')
  })

  it('switches type from the buttons', async () => {
    const { wrapper, form } = mountEditor({ type: 'manual' })
    expect(wrapper.text()).toContain('Runs only when someone presses "Run now"')
    const cron = wrapper.findAll('button, [role="radio"], .p-togglebutton').find((b) => b.text() === 'Cron')!
    await cron.trigger('click')
    expect(form.value.type).toBe('cron')
    expect(wrapper.find('#schedule-cron').exists()).toBe(true)
  })
})
