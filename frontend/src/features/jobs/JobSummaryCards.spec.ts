import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api/client'
import { useJobsStore } from '@/stores/jobs'
import { freshPinia, mountWithPrime } from '@/test/helpers'
import JobSummaryCards from './JobSummaryCards.vue'

function setup() {
  const pinia = freshPinia()
  const jobs = useJobsStore()
  const mountCards = () => mountWithPrime(JobSummaryCards, pinia)
  return { jobs, mountCards }
}

const SUMMARY = { total_jobs: 3, window_hours: 24, total_runs: 42, running: 2, succeeded: 35, failed: 4, cancelled: 1 }

describe('JobSummaryCards', () => {
  it('counts runs in the window, not jobs, and says which window', () => {
    const { jobs, mountCards } = setup()
    jobs.summary.data = { ...SUMMARY, window_hours: 168 }

    const wrapper = mountCards()

    const value = (key: string) => wrapper.get(`[data-test="summary-${key}"] [data-test="value"]`).text()
    expect(value('total_runs')).toBe('42')
    expect(value('running')).toBe('2')
    expect(value('succeeded')).toBe('35')
    expect(value('failed')).toBe('4')
    expect(value('cancelled')).toBe('1')
    expect(wrapper.get('[data-test="summary-total_runs"]').text()).toContain('started, last 168 h')
    expect(wrapper.get('section').attributes('aria-label')).toBe('Job run summary, last 168 h')
    expect(wrapper.get('[data-test="summary-jobs"]').text()).toBe('3 jobs defined')
  })

  it('shows placeholders before data arrives', () => {
    const { mountCards } = setup()
    const wrapper = mountCards()
    expect(wrapper.findAll('[data-test="value"]').map((v) => v.text())).toEqual(['—', '—', '—', '—', '—'])
    expect(wrapper.find('[data-test="summary-jobs"]').exists()).toBe(false)
  })

  it('shows the error with a retry button', () => {
    const { jobs, mountCards } = setup()
    jobs.summary.error = new ApiError(503, 'database unavailable')

    const wrapper = mountCards()

    expect(wrapper.get('[role="alert"]').text()).toContain('database unavailable')
    expect(wrapper.text()).toContain('Retry')
  })
})
