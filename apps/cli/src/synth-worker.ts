import { parentPort, workerData } from 'node:worker_threads';
import { synthesizeTenantJob, type SynthWorkerInput } from './commands/synthesize-fleet';

// A synthesis thread: the tenants it was dealt, in order, each one's stacks written before the next.
const { platform, state, outDir, jobs } = workerData as SynthWorkerInput;
parentPort!.postMessage(jobs.map((job) => synthesizeTenantJob(job, platform, state, outDir)));
