// The campaigns bench's own timing helpers; the statistics every bench reports are @ccm/testing's.
import { setTimeout as sleep } from 'node:timers/promises'
import { summary } from '@ccm/testing'

/** The p99 of each `seconds` of the run, in order: whether the tail is steady or comes in bursts. */
export function p99PerWindow(samples: { at: number; value: number }[], seconds: number): number[] {
  const start = Math.min(...samples.map((s) => s.at))
  const windows: number[][] = []
  for (const { at, value } of samples) (windows[Math.floor((at - start) / (seconds * 1000))] ??= []).push(value)
  return windows.filter(Boolean).map((values) => summary(values).p99)
}

/** Calls `tick(i)` `rate` times a second, on schedule whatever the previous calls are doing (an open loop). */
export async function atRate(rate: number, seconds: number, tick: (i: number) => void): Promise<void> {
  const start = performance.now()
  for (let i = 0; i < seconds * rate; i++) {
    const wait = start + (i * 1000) / rate - performance.now()
    if (wait > 0) await sleep(wait)
    tick(i)
  }
}
