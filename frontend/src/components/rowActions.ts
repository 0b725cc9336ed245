// The buttons at the end of a table row (RowActions.vue), and the two most rows offer.

export interface RowAction {
  /** The tooltip, e.g. "Edit". */
  label: string
  icon: string
  /** What a screen reader says; by default the label and the row's name ("Edit core-sw-1"). */
  ariaLabel?: string
  severity?: 'danger'
  loading?: boolean
  run: () => unknown
}

export const editAction = (run: () => unknown, label = 'Edit'): RowAction => ({
  label,
  icon: 'pi pi-pencil',
  run,
})

export const deleteAction = (run: () => unknown): RowAction => ({
  label: 'Delete',
  icon: 'pi pi-trash',
  severity: 'danger',
  run,
})
