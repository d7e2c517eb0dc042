import { Inject, Injectable } from '@nestjs/common';
import { InvalidInputError, NotFoundError } from '../domain/errors.js';
import { isFieldEvent, type FieldEventData } from '../domain/events.js';
import { EVENT_STORE, type EventStore, type StoredEvent } from '../event-store/event-store.port.js';

/**
 * Finds the firm an event belongs to, so a researcher can name an event by its id alone. Asks the
 * log itself (sqlite and postgres look the id up in their unique index; a store without
 * `readEvent` is scanned), so no read model has to keep an index row per event. Only field
 * events are found, as before: other ids (a phase declaration, a registration) are not events a
 * correction or coding can name.
 */
@Injectable()
export class EventLocator {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async firmOf(eventId: string, firm?: string): Promise<string> {
    if (typeof eventId !== 'string' || eventId.trim() === '') throw InvalidInputError.field('eventId', 'is required');
    if (firm) return firm;
    const event = await this.find(eventId);
    if (!event || !isFieldEvent(event)) throw new NotFoundError('event', eventId, 'eventId');
    return (event.data as FieldEventData).firm;
  }

  private async find(eventId: string): Promise<StoredEvent | undefined> {
    if (this.store.readEvent) return this.store.readEvent(eventId);
    for await (const e of this.store.readAll()) if (e.id === eventId) return e;
    return undefined;
  }
}
