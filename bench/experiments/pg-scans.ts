/**
 * Whether PostgreSQL reads its big tables through their indexes while an import and single
 * commands grow them quickly (a generic plan made while a table was small can keep a seq scan
 * until the next ANALYZE): imports `batches` × 1,000 events and `singles` single commands through
 * the CommandBus, then prints the seq and index scans per table and the statements' times.
 *
 *   node --expose-gc dist/bench/experiments/pg-scans.js [batches=20] [singles=500]
 */
import pg from 'pg';
import { createTarget } from '../lib/databases.js';
import { timePgStatements } from '../lib/pg-statements.js';
import { StrataCommandSubject } from '../lib/subjects.js';

const batches = Number(process.argv[2] ?? 20);
const singles = Number(process.argv[3] ?? 500);
const statements = timePgStatements();
const target = await createTarget('postgres', 'pg-scans');
try {
  const subject = await StrataCommandSubject.open(target);
  try {
    const imported = await subject.appendBatch('scan-import', batches, 1000);
    console.log(`import: ${imported.count} events in ${imported.ms.toFixed(0)} ms = ${Math.round((imported.count / imported.ms) * 1000)}/s`);
    const single = await subject.appendSingle('scan-single', 20, singles);
    console.log(`single commands: ${single.count} in ${single.ms.toFixed(0)} ms = ${Math.round((single.count / single.ms) * 1000)}/s`);
  } finally {
    await subject.close();
  }
  const client = new pg.Client(target.location);
  await client.connect();
  const { rows } = await client.query('SELECT relname, seq_scan, seq_tup_read, idx_scan, n_live_tup FROM pg_stat_user_tables ORDER BY relname');
  await client.end();
  for (const r of rows) console.log(`table ${r.relname}: ${r.seq_scan} seq scans reading ${r.seq_tup_read} rows, ${r.idx_scan} index scans, ${r.n_live_tup} rows`);
  for (const line of statements.lines().slice(0, 12)) console.log(line);
} finally {
  await target.drop();
}
