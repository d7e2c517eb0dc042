import { createHash } from 'node:crypto';
import type { FieldProblem } from '../../domain/errors.js';
import { canonical } from '../../event-store/copy-store.js';
import type { StoredEvent } from '../../event-store/event-store.port.js';

/**
 * The archive of a study: `events.jsonl` (every event of the study's streams in global order,
 * full envelope, canonical JSON) and `manifest.json` (counts and the SHA-256 of events.jsonl).
 * Nothing in either depends on when or where it was written, so exporting, importing into an
 * empty database and exporting again gives byte-identical files.
 */
export const ARCHIVE_FORMAT = 'strata-archive';
export const ARCHIVE_FORMAT_VERSION = 1;
export const EVENTS_FILE = 'events.jsonl';
export const MANIFEST_FILE = 'manifest.json';

export interface ArchivedEvent {
  readonly id: string;
  readonly streamId: string;
  readonly revision: number;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: Record<string, unknown>;
  readonly recordedAt: string;
}

export interface ArchiveManifest {
  readonly format: typeof ARCHIVE_FORMAT;
  readonly formatVersion: number;
  readonly study: string;
  readonly file: string;
  readonly sha256: string;
  readonly events: number;
  readonly streams: number;
  readonly firms: string[];
  readonly eventsByType: Record<string, number>;
  readonly firstRecordedAt: string | null;
  readonly lastRecordedAt: string | null;
}

export function archiveLine(e: StoredEvent | ArchivedEvent): string {
  return JSON.stringify(
    canonical({ id: e.id, streamId: e.streamId, revision: e.revision, type: e.type, data: e.data, metadata: e.metadata, recordedAt: e.recordedAt }),
  );
}

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export function buildManifest(study: string, events: readonly ArchivedEvent[], text: string): ArchiveManifest {
  const byType: Record<string, number> = {};
  for (const e of events) byType[e.type] = (byType[e.type] ?? 0) + 1;
  const firms = events.filter((e) => e.type === 'firm-registered').map((e) => (e.data as { firm: string }).firm).sort();
  return {
    format: ARCHIVE_FORMAT,
    formatVersion: ARCHIVE_FORMAT_VERSION,
    study,
    file: EVENTS_FILE,
    sha256: sha256(text),
    events: events.length,
    streams: new Set(events.map((e) => e.streamId)).size,
    firms,
    eventsByType: canonical(byType) as Record<string, number>,
    firstRecordedAt: events.length ? events.map((e) => e.recordedAt).reduce((a, b) => (a < b ? a : b)) : null,
    lastRecordedAt: events.length ? events.map((e) => e.recordedAt).reduce((a, b) => (a > b ? a : b)) : null,
  };
}

export function renderManifest(manifest: ArchiveManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Parses and checks an archive against its manifest; every problem is listed. */
export function parseArchive(text: string, manifestText: string): { events: ArchivedEvent[]; manifest: ArchiveManifest } | { problems: FieldProblem[] } {
  let manifest: ArchiveManifest;
  try {
    manifest = JSON.parse(manifestText) as ArchiveManifest;
  } catch (err) {
    return { problems: [{ field: MANIFEST_FILE, message: `is not valid JSON: ${(err as Error).message}` }] };
  }
  if (manifest.format !== ARCHIVE_FORMAT) return { problems: [{ field: `${MANIFEST_FILE}.format`, message: `must be ${ARCHIVE_FORMAT}` }] };
  if (manifest.formatVersion > ARCHIVE_FORMAT_VERSION) {
    return { problems: [{ field: `${MANIFEST_FILE}.formatVersion`, message: `${manifest.formatVersion} is newer than this Strata reads (${ARCHIVE_FORMAT_VERSION})` }] };
  }
  const actual = sha256(text);
  if (actual !== manifest.sha256) {
    return { problems: [{ field: EVENTS_FILE, message: `SHA-256 ${actual} does not match the manifest's ${manifest.sha256}: the file was changed or truncated` }] };
  }
  const problems: FieldProblem[] = [];
  const events: ArchivedEvent[] = [];
  text.split('\n').forEach((line, i) => {
    if (line === '') return;
    try {
      const e = JSON.parse(line) as ArchivedEvent;
      if (typeof e.id !== 'string' || typeof e.streamId !== 'string' || typeof e.type !== 'string' || !Number.isInteger(e.revision) || typeof e.recordedAt !== 'string') {
        problems.push({ field: `${EVENTS_FILE} line ${i + 1}`, message: 'is not an archived event (id, streamId, revision, type, data, metadata, recordedAt)' });
      } else events.push(e);
    } catch (err) {
      problems.push({ field: `${EVENTS_FILE} line ${i + 1}`, message: `is not valid JSON: ${(err as Error).message}` });
    }
  });
  if (!problems.length && events.length !== manifest.events) {
    problems.push({ field: EVENTS_FILE, message: `holds ${events.length} events; the manifest says ${manifest.events}` });
  }
  return problems.length ? { problems } : { events, manifest };
}
