import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Copies the WAL back into the database file from a worker thread, with its own connection, so
 * the copy and its two fsyncs never run on the event loop. With SQLite's automatic checkpoint the
 * COMMIT that crossed the threshold did that work inline, and better-sqlite3 is synchronous: under
 * steady logging over HTTP such a COMMIT took 35–45 ms every second or two, during which no
 * request was answered (`bench/experiments/http-stalls.ts`).
 *
 * The worker runs PASSIVE checkpoints, which never wait for or block a writer. The WAL restarts
 * from its beginning at the first write after a checkpoint that copied everything, so it stays
 * small whenever writing pauses for a moment. Under writing that never pauses, the connection's
 * own automatic checkpoint stays on with a higher threshold (BACKSTOP_PAGES) as a bound: by then
 * the worker has copied almost every frame, so that inline checkpoint has little left to do.
 *
 * SQLite keeps the WAL file at the largest size it reached (up to the backstop, ~160 MB, after an
 * import or a busy spell of logging). The worker cuts it back (a TRUNCATE checkpoint) once nothing
 * has been written for WAL_IDLE_MS and everything is copied. Not `journal_size_limit`: that cuts
 * the file in the commit that starts the WAL over, a request's commit on the event loop, and the
 * ftruncate of a grown WAL took 59–74 ms there. Here a write arriving during the cut waits for it
 * (the file's write lock), which can only happen to the first write after a pause.
 */
export const CHECKPOINT_INTERVAL_MS = 100;
export const BACKSTOP_PAGES = 40_000;
/** A WAL file larger than this is cut back after WAL_IDLE_MS without writes. */
export const WAL_SIZE_LIMIT_BYTES = 16 * 1024 * 1024;
export const WAL_IDLE_MS = 2_000;

// The worker's code, as a CommonJS script: it must run the same way from dist/ and under Jest,
// which would hand a worker file the TypeScript source.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { statSync } = require('node:fs');
const Database = require(workerData.driver);
const state = new Int32Array(workerData.state);
let db;
// data_version at the last tick (it changes when another connection commits; a WAL that starts
// over can show the same frame count tick after tick), and since when nothing was committed and
// everything was copied.
let version = -1;
let idleSince = Date.now();
const walBytes = () => {
  try { return statSync(workerData.path + '-wal').size; } catch { return 0; }
};
const finish = () => {
  clearInterval(timer);
  try { if (db && db.open) db.close(); } catch {}
  Atomics.store(state, 1, 1);
  Atomics.notify(state, 1);
};
const tick = () => {
  if (Atomics.load(state, 0)) return finish();
  try {
    // timeout 0: a TRUNCATE checkpoint that finds a reader or writer gives up at once (next tick).
    db ??= new Database(workerData.path, { fileMustExist: true, timeout: 0 });
    const [done] = db.pragma('wal_checkpoint(PASSIVE)');
    const seen = db.pragma('data_version', { simple: true });
    const now = Date.now();
    if (seen !== version || done.checkpointed < done.log) {
      version = seen;
      idleSince = now;
    } else if (now - idleSince >= workerData.idleMs && walBytes() > workerData.sizeLimit) {
      db.pragma('wal_checkpoint(TRUNCATE)');
      idleSince = now;
    }
  } catch {
    // A file deleted or locked for a moment: the next tick tries again; the backstop still bounds the WAL.
  }
  if (Atomics.load(state, 0)) finish();
};
const timer = setInterval(tick, workerData.intervalMs);
if (Atomics.load(state, 0)) finish(); // stopped before it started
`;

const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');

export class WalCheckpointer {
  /** [0] stop requested by us, [1] the worker's connection is closed. */
  private readonly state = new Int32Array(new SharedArrayBuffer(8));
  private readonly worker: Worker;

  constructor(path: string, intervalMs = CHECKPOINT_INTERVAL_MS) {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { path, driver: driverPath, state: this.state.buffer, intervalMs, idleMs: WAL_IDLE_MS, sizeLimit: WAL_SIZE_LIMIT_BYTES },
    });
    this.worker.unref();
    // A worker that fails leaves checkpoints to the backstop; nothing to report to the user.
    this.worker.on('error', () => Atomics.store(this.state, 1, 1));
  }

  /**
   * Stops the worker and waits (synchronously, up to `timeoutMs`) until its connection is closed,
   * so that the caller's connection is the last one and its close checkpoints and removes the WAL.
   */
  stop(timeoutMs = 2_000): void {
    Atomics.store(this.state, 0, 1);
    const deadline = Date.now() + timeoutMs;
    while (Atomics.load(this.state, 1) === 0) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      Atomics.wait(this.state, 1, 0, Math.min(left, CHECKPOINT_INTERVAL_MS * 2));
    }
    void this.worker.terminate();
  }
}
