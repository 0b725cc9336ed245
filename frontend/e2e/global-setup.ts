import { BASE_URL, startStack, stopStack } from './stack'

const seconds = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`

/** Start the stack once for every spec; the returned function is Playwright's teardown. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const starting = Date.now()
  const stack = await startStack()
  console.log(`netraven devstack ready at ${BASE_URL} in ${seconds(starting)} (data in ${stack.dataDir})`)
  return async () => {
    const stopping = Date.now()
    await stopStack(stack)
    console.log(`netraven devstack stopped in ${seconds(stopping)}`)
  }
}
