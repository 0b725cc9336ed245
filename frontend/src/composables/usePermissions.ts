// What the signed-in user may do, by role. Pages hide actions with these; the API enforces them.
import { computed } from 'vue'
import { useAuthStore } from '@/stores/auth'

export function usePermissions() {
  const auth = useAuthStore()
  return {
    /** Create, edit and delete inventory, jobs and credentials; run jobs and backups. */
    canOperate: computed(() => auth.hasRole('operator', 'admin')),
    /** Manage users. */
    isAdmin: computed(() => auth.hasRole('admin')),
  }
}
