import { describe, expect, it } from 'vitest'
import { ApiError } from './client'
import { errorText } from './errorText'

describe('errorText', () => {
  it('names each invalid field of a 422', () => {
    const error = new ApiError(422, 'invalid request', [
      { field: 'password', message: 'String should have at least 12 characters' },
      { field: 'username', message: 'String should match pattern' },
    ])
    expect(errorText(error)).toBe(
      'invalid request: password: String should have at least 12 characters; username: String should match pattern',
    )
  })

  it('is the message alone when the detail lists no fields', () => {
    expect(errorText(new ApiError(409, "a user named 'bob' already exists"))).toBe("a user named 'bob' already exists")
    expect(errorText(new ApiError(409, 'conflict', { other: 1 }))).toBe('conflict')
  })
})
