// Compliance: rules (admins write them, everyone reads them), results over each device's newest
// evaluation, and on-demand checks (operators start them).
import { http, request } from './client'
import type { Schema } from './types'

const enc = encodeURIComponent

export type ComplianceRule = Schema<'ComplianceRuleOut'>
export type ComplianceRuleInput = Schema<'ComplianceRuleIn'>
export type ComplianceSummary = Schema<'ComplianceSummary'>
export type FailingDevice = Schema<'FailingDevice'>
export type ComplianceCheck = Schema<'CheckOut'>
export type ComplianceEvaluation = Schema<'EvaluationOut'>
export type ComplianceStatus = ComplianceEvaluation['status']
export const COMPLIANCE_STATUSES = ['compliant', 'noncompliant', 'error'] as const satisfies readonly ComplianceStatus[]

export const complianceApi = {
  rules: (signal?: AbortSignal) => http.get<ComplianceRule[]>('/compliance/rules', undefined, signal),
  createRule: (input: ComplianceRuleInput) => http.post<ComplianceRule>('/compliance/rules', input),
  updateRule: (id: string, changes: Partial<ComplianceRuleInput>) =>
    request<ComplianceRule>(`/compliance/rules/${enc(id)}`, { method: 'PATCH', json: changes }),
  removeRule: (id: string) => request<void>(`/compliance/rules/${enc(id)}`, { method: 'DELETE' }),
  failing: (ruleId: string, signal?: AbortSignal) =>
    http.get<FailingDevice[]>(`/compliance/rules/${enc(ruleId)}/failing`, undefined, signal),
  summary: (signal?: AbortSignal) => http.get<ComplianceSummary>('/compliance/summary', undefined, signal),
  device: (deviceId: string, signal?: AbortSignal) =>
    http.get<ComplianceEvaluation>(`/compliance/devices/${enc(deviceId)}`, undefined, signal),
  checkFleet: () => http.post<ComplianceCheck>('/compliance/check'),
  check: (id: string, signal?: AbortSignal) =>
    http.get<ComplianceCheck>(`/compliance/checks/${enc(id)}`, undefined, signal),
}
