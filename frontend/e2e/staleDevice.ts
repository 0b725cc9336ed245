// A device that never answered, made stale: created through the API, its creation moved back in
// the devstack's database (trust authentication on loopback) rather than waiting a day.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, type APIRequestContext } from '@playwright/test'
import { adminToken } from './accounts'
import { PORT_OFFSET } from './stack'

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
const PYTHON = join(REPO_ROOT, '.venv/bin/python')
const DATABASE = `postgresql://netraven@127.0.0.1:${15432 + PORT_OFFSET}/netraven`
const BACKDATE = `
import asyncio, sys
import asyncpg

async def main(dsn, device_id, hours):
    connection = await asyncpg.connect(dsn)
    await connection.execute(
        "UPDATE devices SET created_at = now() - make_interval(hours => $2) WHERE id = $1::uuid",
        device_id, int(hours))
    await connection.close()

asyncio.run(main(*sys.argv[1:]))
`

export interface StaleDevice {
  id: string
  hostname: string
  tag: string
  remove: () => Promise<void>
}

/** A device on a port nothing answers, on a tag of its own, created `hours` ago and never backed up. */
export async function createStaleDevice(request: APIRequestContext, hours = 30): Promise<StaleDevice> {
  const suffix = Date.now().toString(36)
  const headers = { Authorization: `Bearer ${await adminToken(request)}` }
  const body = { hostname: `e2e-stale-${suffix}`, ip_address: '127.0.0.1', device_type: 'cisco_ios', port: 9, tags: [`e2e-stale-${suffix}`] }
  const created = await request.post('/api/devices', { headers, data: body })
  expect(created.status(), await created.text()).toBe(201)
  const { id } = (await created.json()) as { id: string }
  const backdated = spawnSync(PYTHON, ['-c', BACKDATE, DATABASE, id, String(hours)], { encoding: 'utf8' })
  expect(backdated.status, backdated.stderr).toBe(0)
  const remove = async () => {
    const deleted = await request.delete(`/api/devices/${id}`, { headers })
    expect(deleted.status()).toBe(204)
  }
  return { id, hostname: body.hostname, tag: body.tags[0]!, remove }
}
