import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import { complianceApi, type ComplianceCheck, type ComplianceRule, type ComplianceRuleInput } from '@/api/compliance'
import { useAsync } from '@/composables/useAsync'
import { useEditableList } from '@/composables/useEditableList'

const CHECK_POLL_MS = 1000

export const useComplianceStore = defineStore('compliance', () => {
  const { list: rules, reload: fetchRules, change } = useEditableList((signal) => complianceApi.rules(signal))
  const summary = useAsync((signal) => complianceApi.summary(signal))
  const failing = useAsync((signal, ruleId: string) => complianceApi.failing(ruleId, signal))
  const check = shallowRef<ComplianceCheck | null>(null)
  let polling: ReturnType<typeof setTimeout> | null = null

  function refresh(): Promise<unknown> {
    return Promise.all([fetchRules(), summary.execute()])
  }

  /** Create (no id) or change a rule, then re-read the rules. Throws the ApiError. */
  function save(id: string | null, input: Partial<ComplianceRuleInput>): Promise<ComplianceRule> {
    return change(
      id ? complianceApi.updateRule(id, input) : complianceApi.createRule(input as ComplianceRuleInput),
    )
  }

  function remove(id: string): Promise<void> {
    return change(complianceApi.removeRule(id))
  }

  /** Start a fleet check and follow it until it finishes, then re-read the summary. */
  async function checkFleet(): Promise<void> {
    check.value = await complianceApi.checkFleet()
    follow(check.value.id)
  }

  function follow(id: string): void {
    stopFollowing()
    polling = setTimeout(async () => {
      try {
        check.value = await complianceApi.check(id)
      } catch {
        // a missed poll is retried on the next tick
      }
      if (check.value?.finished_at) await summary.execute()
      else follow(id)
    }, CHECK_POLL_MS)
  }

  function stopFollowing(): void {
    if (polling !== null) clearTimeout(polling)
    polling = null
  }

  return { rules, summary, failing, check, refresh, fetchRules, save, remove, checkFleet, stopFollowing }
})
