// Loaded into every process a test starts (`node --import`): it ends the process once the test that started it is
// gone. tap ends a test file that overruns its timeout with SIGALRM, so no teardown of the test kills its services;
// they would live on, holding their ports and the two cores. Polled: Node has no parent-death signal.
import process from 'node:process'
import { setInterval } from 'node:timers'

const parent = process.ppid
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, 'SIGKILL')
}, 500).unref()
