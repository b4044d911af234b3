// Loaded into the service process by the import bench (node --import): the event loop's delays, as
// perf_hooks measures them, reset and read over IPC, so the bench sees what the service went through.
import { monitorEventLoopDelay } from 'node:perf_hooks'

const histogram = monitorEventLoopDelay({ resolution: 10 })
histogram.enable()
process.on('message', (message) => {
  if (message === 'reset') histogram.reset()
  if (message === 'read')
    process.send?.({ maxMs: histogram.max / 1e6, p99Ms: histogram.percentile(99) / 1e6, meanMs: histogram.mean / 1e6 })
})
// The channel must not keep the service alive once it is asked to stop.
process.channel?.unref()
