// dist/cli-worker.js: checks batches of files for `iac-netsec check` on large trees. The main
// thread starts it (before walking the tree, so that it loads meanwhile), sends { setup } once
// the files are known, then { batch: [[{ index, job }]] } (tasks: a file, or the Terraform files
// of a folder) and gets { results: [{ index, result }] } back.

import { parentPort } from 'node:worker_threads';
import { initHcl } from '../parse/hcl';
import type { Settings } from '../engine/settings';
import { checkTask, type FileResult } from './check';
import type { FileJob } from './files';

export interface WorkerBatch {
  batch: { index: number; job: FileJob }[][];
}

export type WorkerRequest = { setup: WorkerData } | WorkerBatch;

export interface WorkerReply {
  results: { index: number; result: FileResult }[];
}

export interface WorkerData {
  settings: Record<string, Settings>;
  /** Whether Terraform files are among the files (else the HCL parser is not loaded). */
  hcl: boolean;
}

let table: Record<string, Settings> = {};
// The HCL parser (wasm, 32 MB of memory) loads before the first batch is read, when Terraform
// files are to be checked; batches wait for it.
let ready: Promise<void> = Promise.resolve();

parentPort?.on('message', async (request: WorkerRequest) => {
  if ('setup' in request) {
    table = request.setup.settings;
    if (request.setup.hcl) ready = initHcl(__dirname);
    return;
  }
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
