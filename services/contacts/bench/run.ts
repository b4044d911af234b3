// Runs the contacts service's benchmarks one after another; each prints its own summary.
const benches = ['./states.ts', './search.ts', './duplicates.ts', './import.ts']

for (const bench of benches) {
  await import(bench)
}
