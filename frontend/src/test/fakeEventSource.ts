// Stands in for the browser's EventSource in specs: each source opens on the next tick, and the
// spec sends it named events or breaks it.
import { vi } from 'vitest'

export class FakeEventSource {
  static made: FakeEventSource[] = []
  onopen: (() => void) | null = null
  onerror: (() => void) | null = null
  closed = false
  private listeners = new Map<string, Array<(event: MessageEvent<string>) => void>>()

  constructor(readonly url: string) {
    FakeEventSource.made.push(this)
    queueMicrotask(() => this.onopen?.())
  }

  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener])
  }

  close(): void {
    this.closed = true
  }

  send(type: string, data: unknown): void {
    this.sendText(type, JSON.stringify(data))
  }

  sendText(type: string, data: string): void {
    const event = new MessageEvent(type, { data })
    this.listeners.get(type)?.forEach((listener) => listener(event))
  }

  fail(): void {
    this.onerror?.()
  }
}

/** EventSource replaced by FakeEventSource; returns the sources made, newest last. */
export function stubEventSource(): FakeEventSource[] {
  FakeEventSource.made = []
  vi.stubGlobal('EventSource', FakeEventSource)
  return FakeEventSource.made
}
