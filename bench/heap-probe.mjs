// Preloaded into the language server by the benchmark (bench/lsp.mjs: `node --expose-gc
// --import bench/heap-probe.mjs dist/server.js --stdio`), never shipped. On SIGUSR2 it collects
// garbage (a full GC, twice: the first may only finalise) and writes the memory the server still
// holds to the file named by IAC_NETSEC_HEAP_PROBE: its retained heap, not what the last
// keystroke left behind.

import { renameSync, writeFileSync } from 'node:fs';
import v8 from 'node:v8';

const out = process.env.IAC_NETSEC_HEAP_PROBE;
const gc = globalThis.gc;
if (out && typeof gc === 'function') {
  process.on('SIGUSR2', () => {
    gc();
    gc();
    const memory = process.memoryUsage();
    const heap = v8.getHeapStatistics();
    const report = {
      heapUsed: memory.heapUsed,
      heapTotal: memory.heapTotal,
      external: memory.external,
      arrayBuffers: memory.arrayBuffers,
      rss: memory.rss,
      mallocedMemory: heap.malloced_memory,
    };
    // Written aside and renamed, so the reader never sees half a file.
    writeFileSync(`${out}.tmp`, JSON.stringify(report));
    renameSync(`${out}.tmp`, out);
  });
}
