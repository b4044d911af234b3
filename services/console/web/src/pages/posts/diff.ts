export type Piece = { kind: 'same' | 'added' | 'removed'; text: string }

/**
 * A word-level diff (longest common subsequence), enough to show a reviewer what changed in a post of a few
 * hundred words; whitespace is kept with the word before it so the text reads as written. What was taken out
 * comes before what was put in its place.
 */
export function diffWords(before: string, after: string): Piece[] {
  const a = before.match(/\S+\s*/g) ?? []
  const b = after.match(/\S+\s*/g) ?? []
  // Words compare without the space after them: a word that ends the text is the same word mid-text.
  const same = (i: number, j: number) => a[i]!.trimEnd() === b[j]!.trimEnd()
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0))
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i]![j] = same(i, j) ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!)
  const out: Piece[] = []
  const push = (kind: Piece['kind'], text: string) => {
    const last = out[out.length - 1]
    if (last?.kind === kind) last.text += text
    else out.push({ kind, text })
  }
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && same(i, j)) {
      push('same', b[j]!)
      i++
      j++
    } else if (i < a.length && (j === b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) push('removed', a[i++]!)
    else push('added', b[j++]!)
  }
  return out
}
