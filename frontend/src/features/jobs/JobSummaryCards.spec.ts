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

describe('JobSummaryCards', () => {
  it('renders the four counts from the store', () => {
    const { jobs, mountCards } = setup()
    jobs.summary.data = { total_jobs: 42, running: 3, succeeded: 35, failed: 4 }

    const wrapper = mountCards()

    const value = (key: string) => wrapper.get(`[data-test="summary-${key}"] [data-test="value"]`).text()
    expect(value('total_jobs')).toBe('42')
    expect(value('running')).toBe('3')
    expect(value('succeeded')).toBe('35')
    expect(value('failed')).toBe('4')
    expect(wrapper.text()).toContain('Total')
    expect(wrapper.text()).toContain('Failed')
  })

  it('shows placeholders before data arrives', () => {
    const { mountCards } = setup()
    const wrapper = mountCards()
    expect(wrapper.findAll('[data-test="value"]').map((v) => v.text())).toEqual(['—', '—', '—', '—'])
  })

  it('shows the error with a retry button', () => {
    const { jobs, mountCards } = setup()
    jobs.summary.error = new ApiError(503, 'database unavailable')

    const wrapper = mountCards()

    expect(wrapper.get('[role="alert"]').text()).toContain('database unavailable')
    expect(wrapper.text()).toContain('Retry')
  })
})
