// Notification channels, rules and the notifier's delivery log (admins). A channel's URL and its
// webhook signing key are write-only: the API shows the target's scheme and host, and a signing key
// it generated once, in the create response.
import { http, request } from './client'
import type { Schema } from './types'

const enc = encodeURIComponent

export type Channel = Schema<'ChannelOut'>
export type ChannelCreated = Schema<'ChannelCreated'>
export type ChannelInput = Schema<'ChannelCreate'>
export type ChannelChanges = Schema<'ChannelUpdate'>
export type ChannelTestOutcome = Schema<'ChannelTestOutcome'>
export type Rule = Schema<'NotificationRuleOut'>
export type RuleInput = Schema<'NotificationRuleCreate'>
export type EventKind = RuleInput['event_kinds'][number]
export type Delivery = Schema<'DeliveryOut'>
export type DeliveryPage = Schema<'DeliveryPage'>

export const notificationsApi = {
  channels: (signal?: AbortSignal) => http.get<Channel[]>('/notifications/channels', undefined, signal),
  createChannel: (input: ChannelInput) => http.post<ChannelCreated>('/notifications/channels', input),
  updateChannel: (id: string, changes: ChannelChanges) =>
    request<Channel>(`/notifications/channels/${enc(id)}`, { method: 'PATCH', json: changes }),
  removeChannel: (id: string) => request<void>(`/notifications/channels/${enc(id)}`, { method: 'DELETE' }),
  testChannel: (id: string) => http.post<ChannelTestOutcome>(`/notifications/channels/${enc(id)}/test`),
  rules: (signal?: AbortSignal) => http.get<Rule[]>('/notifications/rules', undefined, signal),
  createRule: (input: RuleInput) => http.post<Rule>('/notifications/rules', input),
  updateRule: (id: string, changes: Partial<RuleInput>) =>
    request<Rule>(`/notifications/rules/${enc(id)}`, { method: 'PATCH', json: changes }),
  removeRule: (id: string) => request<void>(`/notifications/rules/${enc(id)}`, { method: 'DELETE' }),
  deliveries: (channelId: string, before: string | null, signal?: AbortSignal) =>
    http.get<DeliveryPage>(
      '/notifications/deliveries',
      { channel_id: channelId, limit: 50, ...(before ? { before } : {}) },
      signal,
    ),
}
