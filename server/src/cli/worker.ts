// dist/cli-worker.js: checks batches of files for `iac-netsec check` on large trees. The main
// thread sends { batch: [{ index, job }] } and gets { results: [{ index, result }] } back.

import { parentPort, workerData } from 'node:worker_threads';
import { initHcl } from '../parse/hcl';
import type { Settings } from '../engine/settings';
import { checkJob, type FileResult } from './check';
import type { FileJob } from './files';

export interface WorkerRequest {
  batch: { index: number; job: FileJob }[];
}

export interface WorkerReply {
  results: { index: number; result: FileResult }[];
}

const table = (workerData as { settings: Record<string, Settings> } | undefined)?.settings ?? {};
// The HCL parser (wasm) loads before the first batch is read; messages wait for it.
const ready = initHcl(__dirname);

parentPort?.on('message', async (request: WorkerRequest) => {
  await ready;
  const reply: WorkerReply = {
    results: request.batch.map(({ index, job }) => ({
      index,
      result: checkJob(job, table[job.settingsKey]!),
    })),
  };
  parentPort?.postMessage(reply);
});
