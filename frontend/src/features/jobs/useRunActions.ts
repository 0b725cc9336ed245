import { useToast } from 'primevue/usetoast'
import { reactive, ref } from 'vue'
import { ApiError } from '@/api/client'
import { errorText } from '@/api/errorText'
import type { Run } from '@/api/types'
import type { RowAction } from '@/components/rowActions'
import { useConfirmedAction } from '@/composables/useConfirmedAction'
import { usePermissions } from '@/composables/usePermissions'
import { useJobsStore } from '@/stores/jobs'

/** A run's row actions: open it; for operators, run it again, and cancel it while it is queued (the
 * api cancels only a run no worker has started: POST /runs/{id}/cancel).
 * `open` shows a run: the one clicked, or the one a re-run started. */
export function useRunActions(open: (runId: string) => void) {
  const jobs = useJobsStore()
  const toast = useToast()
  const { canOperate } = usePermissions()
  const rerunning = ref<string | null>(null)
  const cancelling = ref<Run | null>(null)
  const cancellation = reactive(useConfirmedAction(() => jobs.cancelRun(cancelling.value!.id)))

  async function rerun(run: Run): Promise<void> {
    rerunning.value = run.id
    try {
      open(await jobs.rerun(run))
    } catch (err) {
      const detail = err instanceof ApiError ? errorText(err) : String(err)
      toast.add({ severity: 'error', summary: 'Could not run it again', detail, life: 8000 })
    } finally {
      rerunning.value = null
    }
  }

  function actionsFor(run: Run): RowAction[] {
    const actions: RowAction[] = [{ label: 'Open', icon: 'pi pi-search', run: () => open(run.id) }]
    if (!canOperate.value) return actions
    const loading = rerunning.value === run.id
    actions.push({ label: 'Re-run', icon: 'pi pi-replay', loading, run: () => rerun(run) })
    if (run.status === 'queued') {
      const ask = () => {
        cancelling.value = run
        cancellation.ask()
      }
      actions.push({ label: 'Cancel', icon: 'pi pi-stop-circle', severity: 'danger', run: ask })
    }
    return actions
  }

  return { actionsFor, cancelling, cancellation }
}
