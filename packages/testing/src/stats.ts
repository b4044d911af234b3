/** Latencies as the benchmarks report them: how many, the median, the tail and the worst. */
export interface Summary {
  n: number
  p50: number
  p95: number
  p99: number
  max: number
}

/** The value at rank `p` % of the sorted samples (nearest rank below). */
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!

/** The middle value (the upper one of an even count): rounds' figures are reported by it. */
export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

export function summary(latencies: number[]): Summary {
  const sorted = [...latencies].sort((a, b) => a - b)
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
  }
}

export const ms = (n: number) => `${n.toFixed(1)} ms`
