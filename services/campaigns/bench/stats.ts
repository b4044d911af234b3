import { setTimeout as sleep } from 'node:timers/promises'

export interface Summary {
  n: number
  p50: number
  p99: number
  max: number
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

export function summary(latencies: number[]): Summary {
  const sorted = [...latencies].sort((a, b) => a - b)
  return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN }
}

export const ms = (n: number) => `${n.toFixed(1)} ms`

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
