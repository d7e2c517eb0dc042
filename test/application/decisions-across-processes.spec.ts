import { describe, expect, it, jest } from '@jest/globals';
import { RecodeEventCommand, RetractEventCommand } from '../../src/application/commands/corrections.commands.js';
import { LogEventCommand, type LoggedEvent } from '../../src/application/commands/log-event.commands.js';
import { RegisterFirmCommand } from '../../src/application/commands/study-and-firm.commands.js';
import { firmStream } from '../../src/domain/events.js';
import type { StoredEvent } from '../../src/event-store/event-store.port.js';
import { tempAppsClosedAfterEach, type TempApp } from '../support/temp-app.js';

// A process decides a command on the firm's state as it cached it after its own last append,
// without reading the stream first (the append's expected revision checks it). These are the
// cases where another process on the same file wrote to that stream in between.

const app = tempAppsClosedAfterEach();

const event = (title: string, extra: Record<string, unknown> = {}) => ({
  firm: 'ravn',
  kind: 'strategy-decision',
  occurred: '2004-06',
  title,
  orientation: 1,
  ...extra,
});

async function stream(t: TempApp): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for await (const e of t.store.readStream(firmStream('ravn'))) events.push(e);
  return events;
}

/** Two processes on one file, each having logged to ravn (so each holds ravn's state). */
async function twoProcesses(): Promise<[TempApp, TempApp]> {
  const a = await app();
  await a.commands.execute(new RegisterFirmCommand('ravn', 's1'));
  await a.commands.execute(new LogEventCommand(event('a first')));
  const b = await app(a.dbPath);
  await b.commands.execute(new LogEventCommand(event('b first')));
  return [a, b];
}

describe('deciding on a cached state', () => {
  it('a command on a stream this process wrote last does not read the stream before deciding', async () => {
    const a = await app();
    await a.commands.execute(new RegisterFirmCommand('ravn', 's1'));
    await a.commands.execute(new LogEventCommand(event('first')));
    const reads = jest.spyOn(a.store, 'readStream');
    await a.commands.execute(new LogEventCommand(event('second')));
    await a.commands.execute(new LogEventCommand(event('third')));
    expect(reads).not.toHaveBeenCalled();
    expect((await stream(a)).map((e) => e.revision)).toEqual([0, 1, 2, 3]);
  });

  it('after another process appended, the next command lands after its events, none overwritten', async () => {
    const [a, b] = await twoProcesses();
    await b.commands.execute(new LogEventCommand(event('b second')));
    const logged: LoggedEvent = await a.commands.execute(new LogEventCommand(event('a second')));

    expect(logged.appended).toBe(true);
    const events = await stream(a);
    expect(events.map((e) => (e.data as { title?: string }).title ?? e.type)).toEqual([
      'firm-registered',
      'a first',
      'b first',
      'b second',
      'a second',
    ]);
    expect(events.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
    expect(events.at(-1)!.globalPosition).toBe(logged.globalPosition);
  });

  it('a correction of an event only another process logged is decided on the fresh state, not refused', async () => {
    const [a, b] = await twoProcesses();
    const theirs = await b.commands.execute(new LogEventCommand(event('b second')));
    const before = (await stream(a)).length;

    const recoded = await a.commands.execute(new RecodeEventCommand(theirs.id, { orientation: -1 }, 'second interview'));
    expect(recoded.appended).toBe(true);
    await a.commands.execute(new RetractEventCommand(theirs.id, 'duplicate of a document'));
    const events = await stream(a);
    expect(events).toHaveLength(before + 2);
    expect(events.slice(-2).map((e) => e.type)).toEqual(['event-recoded', 'event-retracted']);
  });

  it('an id another process already logged is answered as a retry, with that event, and appends nothing', async () => {
    const [a, b] = await twoProcesses();
    const input = event('same report', { id: '6f1c2d9e-0a4b-4c1d-9e8f-1a2b3c4d5e6f' });
    const theirs = await b.commands.execute(new LogEventCommand(input));
    await b.commands.execute(new LogEventCommand(event('b after it')));
    const count = (await stream(a)).length;

    const retry = await a.commands.execute(new LogEventCommand(input));
    expect(retry).toEqual({ ...theirs, appended: false });
    expect(await stream(a)).toHaveLength(count);

    // And a's state now includes b's events: its next command lands right after them.
    const next = await a.commands.execute(new LogEventCommand(event('a second')));
    expect(next.appended).toBe(true);
    expect((await stream(a)).map((e) => e.revision)).toEqual([...Array(count + 1).keys()]);
  });

  it('a command refused on the fresh state too is refused, and nothing is appended', async () => {
    const [a, b] = await twoProcesses();
    const theirs = await b.commands.execute(new LogEventCommand(event('b second')));
    await b.commands.execute(new RetractEventCommand(theirs.id, 'duplicate'));
    const count = (await stream(a)).length;

    // Retracted by b: recoding it is refused whether a reads the stream or not.
    await expect(a.commands.execute(new RecodeEventCommand(theirs.id, { orientation: -1 }, 'late'))).rejects.toThrow(/retracted/);
    expect(await stream(a)).toHaveLength(count);
  });
});
