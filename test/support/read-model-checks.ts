import { expect } from '@jest/globals';
import { RebuildProjectionsCommand } from '../../src/application/commands/projections.commands.js';
import { ALL_PROJECTIONS } from '../../src/projections/all-projections.js';
import { COLLECTIONS } from '../../src/projections/collections.js';
import type { TempApp } from './temp-app.js';

type AppParts = Pick<TempApp, 'runner' | 'readModels' | 'store' | 'commands'>;

export const COLLECTION_NAMES = ALL_PROJECTIONS.flatMap((p) => p.collections);

/** The read models are what a rebuild from the log makes of it, and every checkpoint is at the head. */
export async function expectConsistent(t: AppParts): Promise<void> {
  await t.runner.settleNow();
  const incremental = await t.readModels.dump(COLLECTION_NAMES);
  const head = await t.store.headPosition();
  expect((await t.readModels.checkpoints()).map((c) => c.position)).toEqual(ALL_PROJECTIONS.map(() => head));
  await t.commands.execute(new RebuildProjectionsCommand());
  await t.runner.settleNow();
  expect(await t.readModels.dump(COLLECTION_NAMES)).toEqual(incremental);
}

/** Keys of the firm's timeline documents (event ids), in the timeline's order. */
export const timelineIds = async (t: Pick<TempApp, 'readModels'>, firm: string) =>
  (await t.readModels.list<{ id: string }>(COLLECTIONS.timeline, firm)).map((d) => d.key);
