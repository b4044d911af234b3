const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

export interface Summary {
  n: number
  p50: number
  p95: number
  max: number
}

export function summary(latencies: number[]): Summary {
  const sorted = [...latencies].sort((a, b) => a - b)
  return { n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1) ?? NaN }
}

export const ms = (n: number) => `${n.toFixed(1)} ms`
