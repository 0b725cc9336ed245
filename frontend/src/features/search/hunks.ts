// How search matches are laid out: blocks of lines with the found text marked. Lines shared by
// neighbouring matches appear once, and a gap in line numbers starts a new block.
import type { SearchMatch } from '@/api/search'

export interface HunkLine {
  number: number
  text: string
  isMatch: boolean
}

export type Hunk = HunkLine[]

export function toHunks(matches: SearchMatch[]): Hunk[] {
  const lines = new Map<number, HunkLine>()
  const add = (number: number, text: string, isMatch: boolean) => {
    const known = lines.get(number)
    lines.set(number, { number, text, isMatch: isMatch || (known?.isMatch ?? false) })
  }
  for (const match of matches) {
    match.before.forEach((text, i) => add(match.line_number - match.before.length + i, text, false))
    add(match.line_number, match.line, true)
    match.after.forEach((text, i) => add(match.line_number + 1 + i, text, false))
  }
  const hunks: Hunk[] = []
  for (const line of [...lines.values()].sort((a, b) => a.number - b.number)) {
    const current = hunks.at(-1)
    if (current && current.at(-1)!.number + 1 === line.number) current.push(line)
    else hunks.push([line])
  }
  return hunks
}

export interface TextPart {
  text: string
  hit: boolean
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Split `line` around every case-insensitive occurrence of `query` (indices stay those of `line`). */
export function splitOnQuery(line: string, query: string): TextPart[] {
  if (!query) return [{ text: line, hit: false }]
  const parts: TextPart[] = []
  let from = 0
  for (const found of line.matchAll(new RegExp(escapeRegExp(query), 'giu'))) {
    if (found.index > from) parts.push({ text: line.slice(from, found.index), hit: false })
    parts.push({ text: found[0], hit: true })
    from = found.index + found[0].length
  }
  if (from < line.length || parts.length === 0) parts.push({ text: line.slice(from), hit: false })
  return parts
}
