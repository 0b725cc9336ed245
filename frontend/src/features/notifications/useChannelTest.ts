import { ref } from 'vue'
import { ApiError } from '@/api/client'
import { errorText } from '@/api/errorText'
import type { Channel } from '@/api/notifications'
import { useNotificationsStore } from '@/stores/notifications'

export interface TestResult {
  channel: string
  ok: boolean
  text: string
}

/** "Send test" on a channel: which channel is being tried, and what came of the last try (the
 * channel's answer, or why no notifier tried). */
export function useChannelTest() {
  const store = useNotificationsStore()
  const testing = ref<string | null>(null)
  const result = ref<TestResult | null>(null)

  async function run(channel: Channel): Promise<void> {
    testing.value = channel.id
    result.value = null
    try {
      const outcome = await store.testChannel(channel.id)
      result.value = {
        channel: channel.name,
        ok: outcome.outcome === 'delivered',
        text:
          outcome.outcome === 'delivered'
            ? 'the channel accepted the test message'
            : outcome.outcome === 'unknown'
              ? 'the notifier does not know this channel yet'
              : `the channel refused it: ${outcome.error ?? 'no reason given'}`,
      }
    } catch (err) {
      result.value = { channel: channel.name, ok: false, text: err instanceof ApiError ? errorText(err) : String(err) }
    } finally {
      testing.value = null
    }
  }

  return { testing, result, run }
}
