import type { KeyboardCoordinateGetter } from '@dnd-kit/core'

/**
 * Keyboard dragging jumps from column to column (left and right arrows) instead of dnd-kit's default
 * 25 pixels a press, so a target crosses the board in a few key presses.
 */
export const columnCoordinates: KeyboardCoordinateGetter = (event, { currentCoordinates, context }) => {
  const step = { ArrowRight: 1, ArrowLeft: -1 }[event.code]
  if (!step) return undefined
  event.preventDefault()
  const lefts = [...context.droppableRects.values()].map((rect) => rect).sort((a, b) => a.left - b.left)
  const here = currentCoordinates.x
  const next =
    step > 0 ? lefts.find((rect) => rect.left > here + 8) : [...lefts].reverse().find((rect) => rect.left < here - 8)
  return next ? { x: next.left + 8, y: next.top + 48 } : currentCoordinates
}
