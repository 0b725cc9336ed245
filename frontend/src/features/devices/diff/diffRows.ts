// Turns the unified diff the API returns into rows for the inline and the side-by-side views.
// Parsing is the `diff` package's; this only lays the parsed hunks out.
import { parsePatch, type StructuredPatchHunk } from 'diff'

export type LineKind = 'context' | 'added' | 'removed'

export interface DiffCell {
  number: number
  text: string
  kind: LineKind
}

/** One row of the inline view: a hunk header, or a line with its old and/or new line number. */
export type UnifiedRow =
  | { type: 'hunk'; header: string }
  | { type: 'line'; kind: LineKind; oldNumber: number | null; newNumber: number | null; text: string }

/** One row of the side-by-side view: a hunk header, or the old line (left) beside the new one (right). */
export type SplitRow =
  | { type: 'hunk'; header: string }
  | { type: 'line'; left: DiffCell | null; right: DiffCell | null }

const KIND_BY_PREFIX: Record<string, LineKind> = { ' ': 'context', '+': 'added', '-': 'removed' }

function hunkHeader(hunk: StructuredPatchHunk): string {
  return `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`
}

function hunksOf(diffText: string): StructuredPatchHunk[] {
  if (!diffText.trim()) return []
  return parsePatch(diffText).flatMap((file) => file.hunks)
}

/** Each hunk's lines with both numbers counted; "\ No newline at end of file" markers are dropped. */
function* numberedLines(hunk: StructuredPatchHunk): Generator<DiffCell & { other: number | null }> {
  let oldNumber = hunk.oldStart
  let newNumber = hunk.newStart
  for (const line of hunk.lines) {
    const kind = KIND_BY_PREFIX[line.charAt(0)]
    if (!kind) continue
    const text = line.slice(1)
    if (kind === 'context') yield { kind, text, number: oldNumber++, other: newNumber++ }
    else if (kind === 'removed') yield { kind, text, number: oldNumber++, other: null }
    else yield { kind, text, number: newNumber++, other: null }
  }
}

export function unifiedRows(diffText: string): UnifiedRow[] {
  const rows: UnifiedRow[] = []
  for (const hunk of hunksOf(diffText)) {
    rows.push({ type: 'hunk', header: hunkHeader(hunk) })
    for (const line of numberedLines(hunk)) {
      const oldNumber = line.kind === 'added' ? null : line.number
      const newNumber = line.kind === 'context' ? line.other : line.kind === 'added' ? line.number : null
      rows.push({ type: 'line', kind: line.kind, oldNumber, newNumber, text: line.text })
    }
  }
  return rows
}

/** Removed lines are paired with the added lines that follow them, so a changed line sits beside its new form. */
export function splitRows(diffText: string): SplitRow[] {
  const rows: SplitRow[] = []
  for (const hunk of hunksOf(diffText)) {
    rows.push({ type: 'hunk', header: hunkHeader(hunk) })
    let removed: DiffCell[] = []
    let added: DiffCell[] = []
    const flush = (): void => {
      for (let i = 0; i < Math.max(removed.length, added.length); i++) {
        rows.push({ type: 'line', left: removed[i] ?? null, right: added[i] ?? null })
      }
      removed = []
      added = []
    }
    for (const line of numberedLines(hunk)) {
      const cell: DiffCell = { kind: line.kind, text: line.text, number: line.number }
      if (line.kind === 'removed') {
        if (added.length) flush()
        removed.push(cell)
      } else if (line.kind === 'added') {
        added.push(cell)
      } else {
        flush()
        rows.push({
          type: 'line',
          left: cell,
          right: { kind: 'context', text: line.text, number: line.other ?? line.number },
        })
      }
    }
    flush()
  }
  return rows
}
