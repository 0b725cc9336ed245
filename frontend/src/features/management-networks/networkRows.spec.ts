import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api/client'
import { emptyRow, inputFrom, rowErrorsFromApi, validateRows, type NetworkRow } from './networkRows'

const row = (cidr: string, description = ''): NetworkRow => ({ ...emptyRow(), cidr, description })

describe('management network rows', () => {
  it('sends trimmed rows, in order', () => {
    expect(inputFrom([row(' 10.0.0.0/8 ', ' lab '), row('192.168.0.0/16')])).toEqual([
      { cidr: '10.0.0.0/8', description: 'lab' },
      { cidr: '192.168.0.0/16', description: '' },
    ])
  })

  it('refuses empty and repeated networks before asking the api', () => {
    expect(validateRows([row('10.0.0.0/8'), row('  '), row('10.0.0.0/8 ')])).toEqual({
      1: 'Enter a network, such as 10.0.0.0/8, or remove the row.',
      2: '10.0.0.0/8 is listed twice.',
    })
    expect(validateRows([row('10.0.0.0/8')])).toEqual({})
  })

  it('puts a validation 422 at the row it names, and the rest in the message', () => {
    const error = new ApiError(422, 'invalid request', [
      { field: 'networks.1.cidr', message: '10.0.0.1/24 has host bits set: did you mean 10.0.0.0/24?' },
      { field: 'networks', message: 'at most 500 networks' },
    ])
    expect(rowErrorsFromApi(error, [row('10.1.0.0/16'), row('10.0.0.1/24')])).toEqual({
      rows: { 1: '10.0.0.1/24 has host bits set: did you mean 10.0.0.0/24?' },
      message: 'invalid request: networks: at most 500 networks',
    })
  })

  it('puts a refusal that starts with a network at its row', () => {
    const error = new ApiError(422, '10.0.0.1/24 has host bits set: did you mean 10.0.0.0/24?')
    expect(rowErrorsFromApi(error, [row('10.1.0.0/16'), row('10.0.0.1/24')])).toEqual({
      rows: { 1: '10.0.0.1/24 has host bits set: did you mean 10.0.0.0/24?' },
      message: null,
    })
    const denied = new ApiError(403, "the caller's role is too low for this")
    expect(rowErrorsFromApi(denied, [row('10.0.0.1/24')])).toEqual({ rows: {}, message: "the caller's role is too low for this" })
  })
})
