// The real NetRaven stack for the browser tests: `python -m netraven_devstack` in a fresh
// data dir, moved off `make run`'s ports so both can run at once.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Added to every devstack port (NETRAVEN_DEVSTACK_PORT_OFFSET): API 18000, NATS 24222, PG 25432. */
export const PORT_OFFSET = Number(process.env.NETRAVEN_E2E_PORT_OFFSET ?? 10000)
export const BASE_URL = `http://127.0.0.1:${8000 + PORT_OFFSET}`
export const ADMIN = { username: 'admin', password: 'e2e-Admin-Passw0rd' }

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
const PYTHON = join(REPO_ROOT, '.venv/bin/python')
const READY_BANNER = 'NetRaven is running:'
const START_TIMEOUT_MS = 150_000
const STOP_TIMEOUT_MS = 60_000

export interface RunningStack {
  process: ChildProcess
  dataDir: string
  logPath: string
}

export async function startStack(): Promise<RunningStack> {
  if (await portAnswers(8000 + PORT_OFFSET)) {
    throw new Error(`${BASE_URL} is already taken: stop what listens there or set NETRAVEN_E2E_PORT_OFFSET`)
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'netraven-e2e-'))
  const logPath = join(dataDir, 'devstack.log')
  const log = openSync(logPath, 'a')
  // gitkeeper mirrors the config repository here, so the Git mirrors panel has one to show
  const mirror = join(dataDir, 'mirror.git')
  spawnSync('git', ['init', '-q', '--bare', '-b', 'main', mirror], { stdio: 'ignore' })
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NETRAVEN_DEVSTACK_PORT_OFFSET: String(PORT_OFFSET),
    NETRAVEN_ADMIN_USERNAME: ADMIN.username,
    NETRAVEN_ADMIN_PASSWORD: ADMIN.password,
    NETRAVEN_GIT_MIRROR_URL: `file://${mirror}`,
  }
  // Always the embedded servers, never a developer's own NATS or database.
  delete env.NETRAVEN_NATS_URL
  delete env.NETRAVEN_DATABASE_URL
  // Its own process group: a Ctrl-C in the terminal reaches Playwright only, and its teardown
  // (or the watchdog) stops the stack.
  const child = spawn(PYTHON, ['-m', 'netraven_devstack', dataDir], {
    cwd: REPO_ROOT, // the supervisor serves <cwd>/frontend/dist
    env,
    stdio: ['ignore', log, log],
    detached: true,
  })
  closeSync(log)
  if (child.pid) startWatchdog(child.pid, dataDir)
  const stack = { process: child, dataDir, logPath }
  try {
    await waitUntilReady(stack)
  } catch (error) {
    await stopStack(stack)
    throw error
  }
  return stack
}

export async function stopStack(stack: RunningStack): Promise<void> {
  const { process: child } = stack
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    // SIGINT is Ctrl-C: the supervisor stops the services, then NATS and PostgreSQL. SIGTERM does
    // the same even where SIGINT was inherited as ignored; SIGKILL would orphan the servers.
    const escalate = [
      setTimeout(() => child.kill('SIGTERM'), STOP_TIMEOUT_MS / 2),
      setTimeout(() => {
        console.error(`netraven devstack did not stop within ${STOP_TIMEOUT_MS / 1000} s; killing it`)
        child.kill('SIGKILL')
      }, STOP_TIMEOUT_MS),
    ]
    child.kill('SIGINT')
    await exited
    escalate.forEach(clearTimeout)
  }
  if (child.exitCode !== 0) console.error(`netraven devstack stopped badly:\n${tail(stack.logPath)}`)
  rmSync(stack.dataDir, { recursive: true, force: true })
}

// If the runner dies without its teardown (killed, or Ctrl-C during start-up), this stops the
// stack, which would otherwise hold the e2e ports, and removes its data dir.
const WATCHDOG = `
const [runner, stack, dir] = process.argv.slice(1)
const alive = (pid) => { try { process.kill(Number(pid), 0); return true } catch { return false } }
const timer = setInterval(() => {
  if (!alive(stack)) return process.exit(0)
  if (alive(runner)) return
  clearInterval(timer)
  process.kill(Number(stack), 'SIGTERM')
  const gone = setInterval(() => {
    if (alive(stack)) return
    clearInterval(gone)
    require('node:fs').rmSync(dir, { recursive: true, force: true })
  }, 500)
}, 1000)
`

function startWatchdog(stackPid: number, dataDir: string): void {
  spawn(process.execPath, ['-e', WATCHDOG, String(process.pid), String(stackPid), dataDir], {
    detached: true,
    stdio: 'ignore',
  }).unref()
}

async function waitUntilReady(stack: RunningStack): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS
  for (;;) {
    if (stack.process.exitCode !== null || stack.process.signalCode !== null) {
      throw new Error(`netraven devstack exited during start-up:\n${tail(stack.logPath)}`)
    }
    // The banner comes after every service reported healthy; /api/health alone is the api only.
    if (readFileSync(stack.logPath, 'utf8').includes(READY_BANNER) && (await healthy())) return
    if (Date.now() > deadline) {
      throw new Error(`netraven devstack not ready after ${START_TIMEOUT_MS / 1000} s:\n${tail(stack.logPath)}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}

async function healthy(): Promise<boolean> {
  try {
    return (await fetch(`${BASE_URL}/api/health`, { signal: AbortSignal.timeout(2000) })).status === 200
  } catch {
    return false
  }
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.once('connect', () => (socket.destroy(), resolve(true)))
    socket.once('error', () => resolve(false))
  })
}

function tail(path: string, characters = 4000): string {
  try {
    return readFileSync(path, 'utf8').slice(-characters)
  } catch {
    return '(no devstack log)'
  }
}
