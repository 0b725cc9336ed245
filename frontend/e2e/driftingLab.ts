// A simulated device of our own whose configuration changes every few seconds (the lab's
// `--churn-seconds`), so two backups a few seconds apart store two versions to compare.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
const PYTHON = join(REPO_ROOT, '.venv/bin/python')
const START_TIMEOUT_MS = 30_000

export interface DriftingLab {
  port: number
  stop: () => Promise<void>
}

/** Same login as the devstack's lab, so the `lab` tag's credential opens it. */
export async function startDriftingLab(churnSeconds = 2): Promise<DriftingLab> {
  const dir = mkdtempSync(join(tmpdir(), 'netraven-e2e-lab-'))
  const inventory = join(dir, 'inventory.json')
  const child = spawn(
    PYTHON,
    ['-m', 'netraven_lab', '--devices', '1', '--base-port', '0', '--inventory', inventory, '--churn-seconds', String(churnSeconds)],
    { cwd: REPO_ROOT, stdio: 'ignore' },
  )
  const stop = () => stopLab(child, dir)
  const deadline = Date.now() + START_TIMEOUT_MS
  for (;;) {
    try {
      const [device] = JSON.parse(readFileSync(inventory, 'utf8')) as Array<{ port: number }>
      return { port: device!.port, stop }
    } catch {
      if (child.exitCode !== null || Date.now() > deadline) {
        await stop()
        throw new Error('the drifting lab device did not start')
      }
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
}

async function stopLab(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }
  rmSync(dir, { recursive: true, force: true })
}
