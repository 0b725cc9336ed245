import { defineStore } from 'pinia'
import {
  notificationsApi,
  type ChannelChanges,
  type ChannelCreated,
  type ChannelInput,
  type ChannelTestOutcome,
  type Rule,
  type RuleInput,
} from '@/api/notifications'
import { useEditableList } from '@/composables/useEditableList'

export const useNotificationsStore = defineStore('notifications', () => {
  const channels = useEditableList((signal) => notificationsApi.channels(signal))
  const rules = useEditableList((signal) => notificationsApi.rules(signal))

  function fetchAll(): Promise<unknown> {
    return Promise.all([channels.reload(), rules.reload()])
  }

  /** A new channel as created: its `hmac_secret`, when the API generated one, is shown this once. */
  function createChannel(input: ChannelInput): Promise<ChannelCreated> {
    return channels.change(notificationsApi.createChannel(input))
  }

  function updateChannel(id: string, changes: ChannelChanges): Promise<unknown> {
    return channels.change(notificationsApi.updateChannel(id, changes))
  }

  /** Its rules go with it, so both lists are read again. */
  async function removeChannel(id: string): Promise<void> {
    await channels.change(notificationsApi.removeChannel(id))
    await rules.reload()
  }

  /** Throws the API's 503 when no notifier answers, for the page to show. */
  function testChannel(id: string): Promise<ChannelTestOutcome> {
    return notificationsApi.testChannel(id)
  }

  function saveRule(id: string | null, input: Partial<RuleInput>): Promise<Rule> {
    return rules.change(id ? notificationsApi.updateRule(id, input) : notificationsApi.createRule(input as RuleInput))
  }

  function removeRule(id: string): Promise<void> {
    return rules.change(notificationsApi.removeRule(id))
  }

  return {
    channels: channels.list,
    rules: rules.list,
    fetchAll,
    createChannel,
    updateChannel,
    removeChannel,
    testChannel,
    saveRule,
    removeRule,
  }
})
