// dist/cli-worker.js: checks batches of files for `iac-netsec check` on large trees. The main
// thread sends { batch: [[{ index, job }]] } (tasks: a file, or the Terraform files of a folder)
// and gets { results: [{ index, result }] } back.

import { parentPort, workerData } from 'node:worker_threads';
import { initHcl } from '../parse/hcl';
import type { Settings } from '../engine/settings';
import { checkTask, type FileResult } from './check';
import type { FileJob } from './files';

export interface WorkerRequest {
  batch: { index: number; job: FileJob }[][];
}

export interface WorkerReply {
  results: { index: number; result: FileResult }[];
}

export interface WorkerData {
  settings: Record<string, Settings>;
  /** Whether Terraform files are among the files (else the HCL parser is not loaded). */
  hcl: boolean;
}

const data = workerData as WorkerData | undefined;
const table = data?.settings ?? {};
// The HCL parser (wasm, 32 MB of memory) loads before the first batch is read, when Terraform
// files are to be checked; messages wait for it.
const ready = data?.hcl === false ? Promise.resolve() : initHcl(__dirname);

parentPort?.on('message', async (request: WorkerRequest) => {
  await ready;
  const reply: WorkerReply = {
    results: request.batch.flatMap((task) =>
      checkTask(
        task.map(({ job }) => job),
        table,
      ).map((result, n) => ({ index: task[n]!.index, result })),
    ),
  };
  parentPort?.postMessage(reply);
});
