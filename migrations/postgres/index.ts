import type { Migration } from 'kysely';
import * as events from './20261123T1500-events.js';
import * as readModels from './20261123T1501-read-models.js';
import * as dropEventFirms from './20261123T1801-drop-event-firms.js';
import * as appendFunction from './20261202T1300-append-function.js';
import * as appendManyFunction from './20261207T2300-append-many-function.js';
import * as appendFunctionPlpgsql from './20261208T0300-append-function-plpgsql.js';
import * as appendAllFunction from './20261208T0400-append-all-function.js';

/**
 * Imported statically, like migrations/sqlite/index.ts, so the same provider works from the
 * TypeScript sources and from the compiled `dist/`. Add new steps at the end with a later
 * timestamp; never edit a step that has shipped.
 */
export const postgresMigrations: Record<string, Migration> = {
  '20261123T1500-events': events,
  '20261123T1501-read-models': readModels,
  '20261123T1801-drop-event-firms': dropEventFirms,
  '20261202T1300-append-function': appendFunction,
  '20261207T2300-append-many-function': appendManyFunction,
  '20261208T0300-append-function-plpgsql': appendFunctionPlpgsql,
  '20261208T0400-append-all-function': appendAllFunction,
};
