/**
 * Which tables and indexes each single command's commit writes pages of (WAL frames), on SQLite:
 * logs events through the CommandBus, round-robin over 10 firms, then reads the WAL file's frames
 * of the last commits (page numbers) and names each page's table or index with `dbstat`.
 *
 *   node dist/bench/experiments/wal-pages.js [commands=300]
 */
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { LogEventCommand } from '../../src/application/commands/log-event.commands.js';
import { RegisterFirmCommand } from '../../src/application/commands/study-and-firm.commands.js';
import { bootApp } from '../lib/app.js';
import { firmRecords } from '../lib/dataset.js';
import { withTarget } from '../lib/databases.js';

const n = Number(process.argv[2] ?? 300);

await withTarget('sqlite', 'wal-pages', async (target) => {
  const app = await bootApp(target);
  try {
    const firms = Array.from({ length: 10 }, (_, i) => `wal-${i}`);
    for (const f of firms) await app.commands.execute(new RegisterFirmCommand(f, 'bench'));
    const records = firms.map((f) => firmRecords(f, Math.ceil((n + 2000) / 10)));
    const next = (i: number) => records[i % 10]![Math.floor(i / 10)]!;
    for (let i = 0; i < 2000; i++) await app.commands.execute(new LogEventCommand(next(i)));
    // Hold off the worker's checkpoints' WAL restarts while the measured commands run: a reader
    // holding a snapshot keeps the WAL from restarting, so every frame of the run stays in the file.
    const reader = new Database(target.location, { readonly: true });
    reader.exec('BEGIN');
    reader.prepare('SELECT COUNT(*) FROM events').get();
    const walPath = `${target.location}-wal`;
    const before = readFileSync(walPath).length;
    for (let i = 2000; i < 2000 + n; i++) await app.commands.execute(new LogEventCommand(next(i)));
    const wal = readFileSync(walPath);
    reader.exec('COMMIT');
    const FRAME = 24 + 4096;
    const start = 32 + Math.ceil((before - 32) / FRAME) * FRAME;
    const pages = new Map<number, number>();
    let commits = 0;
    for (let off = start; off + FRAME <= wal.length; off += FRAME) {
      const page = wal.readUInt32BE(off);
      pages.set(page, (pages.get(page) ?? 0) + 1);
      if (wal.readUInt32BE(off + 4) !== 0) commits++;
    }
    const owner = new Map<number, string>();
    for (const r of reader.prepare('SELECT name, pageno FROM dbstat').all() as Array<{ name: string; pageno: number }>) owner.set(r.pageno, r.name);
    reader.close();
    const byOwner = new Map<string, number>();
    let frames = 0;
    for (const [page, count] of pages) {
      const name = owner.get(page) ?? (page === 1 ? 'sqlite_schema (page 1)' : `page ${page} (new or freed since)`);
      byOwner.set(name, (byOwner.get(name) ?? 0) + count);
      frames += count;
    }
    console.log(`${n} commands, ${commits} commits, ${frames} frames: ${(frames / commits).toFixed(2)} per commit`);
    for (const [name, count] of [...byOwner].sort((a, b) => b[1] - a[1])) console.log(`  ${(count / commits).toFixed(2)}  ${name}`);
  } finally {
    await app.close();
  }
});
