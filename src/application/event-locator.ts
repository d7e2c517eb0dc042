import { Inject, Injectable } from '@nestjs/common';
import { InvalidInputError, NotFoundError } from '../domain/errors.js';
import { ALL, COLLECTIONS } from '../projections/collections.js';
import { READ_MODEL_STORE, type ReadModelStore } from '../projections/read-model-store.port.js';

/** Finds the firm an event belongs to, so a researcher can name an event by its id alone. */
@Injectable()
export class EventLocator {
  constructor(@Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore) {}

  async firmOf(eventId: string, firm?: string): Promise<string> {
    if (typeof eventId !== 'string' || eventId.trim() === '') throw InvalidInputError.field('eventId', 'is required');
    if (firm) return firm;
    const found = await this.readModels.get<{ firm: string }>(COLLECTIONS.eventFirms, ALL, eventId);
    if (!found) throw new NotFoundError('event', eventId, 'eventId');
    return found.firm;
  }
}
