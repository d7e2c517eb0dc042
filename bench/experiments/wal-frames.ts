/**
 * WAL frames (pages) written per command on SQLite: what a commit costs grows with the pages it
 * writes. Logs events through the CommandBus, round-robin over 10 firms as the bench does, and
 * reads the WAL file's growth. Since checkpoints run in a worker (WalCheckpointer) the WAL restarts
 * from its beginning every ~100 ms, so the page count is only meaningful for code before that;
 * the µs per command still are.
 *
 *   node dist/bench/experiments/wal-frames.js [commands=1000]
 */
import { statSync } from 'node:fs';
import { LogEventCommand } from '../../src/application/commands/log-event.commands.js';
import { RegisterFirmCommand } from '../../src/application/commands/study-and-firm.commands.js';
import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store.port.js';
import { bootApp } from '../lib/app.js';
import { firmRecords, studyCreation } from '../lib/dataset.js';
import { withTarget } from '../lib/databases.js';

const n = Number(process.argv[2] ?? 1000);
const FRAME = 4096 + 24;

await withTarget('sqlite', 'wal-frames', async (target) => {
  const app = await bootApp(target);
  try {
    await app.app.get<EventStore>(EVENT_STORE).appendToStream(studyCreation('bench'));
    const firms = Array.from({ length: 10 }, (_, i) => `wal-${i}`);
    for (const f of firms) await app.commands.execute(new RegisterFirmCommand(f, 'bench'));
    const records = firms.map((f) => firmRecords(f, Math.ceil((n + 200) / 10)));
    const next = (i: number) => records[i % 10]![Math.floor(i / 10)]!;
    for (let i = 0; i < 200; i++) await app.commands.execute(new LogEventCommand(next(i)));
    const wal = `${target.location}-wal`;
    const before = statSync(wal).size;
    const t0 = performance.now();
    for (let i = 200; i < 200 + n; i++) await app.commands.execute(new LogEventCommand(next(i)));
    const ms = performance.now() - t0;
    const frames = (statSync(wal).size - before) / FRAME;
    console.log(`${n} commands: ${(frames / n).toFixed(2)} WAL frames per command, ${((ms * 1000) / n).toFixed(0)} µs per command`);
  } finally {
    await app.close();
  }
});
