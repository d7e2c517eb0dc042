import { describe, expect, it } from '@jest/globals';
import { ConflictError, InvalidInputError, NotFoundError } from '../../src/domain/errors.js';
import type { FirmEvent } from '../../src/domain/events.js';
import { decideFirm, evolveFirm, initialFirmState, type FirmCommand } from '../../src/domain/firm-decider.js';
import { deciderSpec } from './decider-spec.js';

const today = new Date('2026-11-23T12:00:00Z');
const spec = deciderSpec({ decide: decideFirm, evolve: evolveFirm, initialState: initialFirmState }, { today });

const registered: FirmEvent = { type: 'firm-registered', data: { firm: 'ravn', study: 's1', name: 'Ravn' } };
const log = (input: Record<string, unknown>, id = 'e1'): FirmCommand => ({
  type: 'log-event',
  id,
  input: { firm: 'ravn', kind: 'strategy-decision', occurred: '2002-01-20', title: 'Town hall', ...input },
});
const fields = (err: InvalidInputError) => err.problems.map((p) => p.field);

describe('firm decider', () => {
  describe('register-firm', () => {
    it('given nothing, registers the firm with its name defaulting to the id', () => {
      spec.given([]).when({ type: 'register-firm', id: 'r1', firm: 'ravn', study: 's1' }).then([
        { type: 'firm-registered', data: { firm: 'ravn', study: 's1', name: 'ravn' } },
      ]);
    });
    it('given the firm exists, rejects a second registration as a conflict', () => {
      spec.given([registered]).when({ type: 'register-firm', id: 'r2', firm: 'ravn', study: 's1' }).thenThrows(ConflictError);
    });
    it('rejects a firm id that is not a slug, naming the field', () => {
      spec.given([]).when({ type: 'register-firm', id: 'r1', firm: 'Ravn AB', study: 's1' })
        .thenThrows(InvalidInputError, (e) => expect(fields(e)).toEqual(['firm']));
    });
  });

  describe('log-event', () => {
    it('given a registered firm, records the event with defaults filled in', () => {
      spec.given([registered]).when(log({ orientation: -2 })).then([
        {
          type: 'strategy-decision',
          data: {
            firm: 'ravn', kind: 'strategy-decision', occurred: '2002-01-20', title: 'Town hall',
            mode: 'interactive', orientation: -2, sources: [], confidence: 'medium', tags: [],
          },
        },
      ]);
    });
    it('uses the default mode of each kind (FORMAT.md)', () => {
      spec.given([registered]).when(log({ kind: 'planning-routine-change', routine: 'MPS', change: 'introduced' })).then([
        {
          type: 'planning-routine-change',
          data: {
            firm: 'ravn', kind: 'planning-routine-change', occurred: '2002-01-20', title: 'Town hall', mode: 'procedural',
            orientation: 0, sources: [], confidence: 'medium', tags: [], routine: 'MPS', change: 'introduced',
          },
        },
      ]);
    });
    it('given no registration, rejects the event: the firm must exist', () => {
      spec.given([]).when(log({})).thenThrows(NotFoundError, (e) => expect(e.field).toBe('firm'));
    });
    it.each([3, -3, 1.5, '1'])('rejects orientation %p', (orientation) => {
      spec.given([registered]).when(log({ orientation })).thenThrows(InvalidInputError, (e) => expect(fields(e)).toEqual(['orientation']));
    });
    it.each(['2004-13', '2004-Q5', '2004-02-30', '04', '2004/03', '1700'])('rejects occurred %p', (occurred) => {
      spec.given([registered]).when(log({ occurred })).thenThrows(InvalidInputError, (e) => expect(fields(e)).toEqual(['occurred']));
    });
    it('rejects a date in the future but accepts the current year and month', () => {
      spec.given([registered]).when(log({ occurred: '2026-12' })).thenThrows(InvalidInputError, (e) => expect(e.problems[0]!.message).toMatch(/future/));
      spec.given([registered]).when(log({ occurred: '2026' })).then([expect.objectContaining({ type: 'strategy-decision' }) as never]);
      spec.given([registered]).when(log({ occurred: '2026-11' })).then([expect.objectContaining({ type: 'strategy-decision' }) as never]);
      spec.given([registered]).when(log({ occurred: '2026-11-24' })).thenThrows(InvalidInputError);
    });
    it('enforces the text limits: title 200 characters on one line, description 10,000', () => {
      spec.given([registered]).when(log({ title: 'x'.repeat(200) })).then([expect.objectContaining({ type: 'strategy-decision' }) as never]);
      spec.given([registered]).when(log({ title: 'x'.repeat(201) })).thenThrows(InvalidInputError, (e) => expect(fields(e)).toEqual(['title']));
      spec.given([registered]).when(log({ title: 'two\nlines' })).thenThrows(InvalidInputError, (e) => expect(fields(e)).toEqual(['title']));
      spec.given([registered]).when(log({ description: 'x'.repeat(10_001) })).thenThrows(InvalidInputError, (e) => expect(fields(e)).toEqual(['description']));
    });
    it('rejects an unknown kind, listing the known ones', () => {
      spec.given([registered]).when(log({ kind: 'rumour' })).thenThrows(InvalidInputError, (e) => {
        expect(fields(e)).toEqual(['kind']);
        expect(e.problems[0]!.message).toContain('strategy-decision');
      });
    });
    it('requires the own fields of each kind and checks their value sets per kind', () => {
      spec.given([registered]).when(log({ kind: 'ownership-change' })).thenThrows(InvalidInputError, (e) => expect(fields(e)).toEqual(['newOwner']));
      spec.given([registered]).when(log({ kind: 'demand-shift', dimension: 'price' })).thenThrows(InvalidInputError, (e) => expect(fields(e)).toEqual(['dimension']));
      spec.given([registered]).when(log({ kind: 'planning-routine-change', routine: 'MPS', change: 'outsourcing' }))
        .thenThrows(InvalidInputError, (e) => expect(fields(e)).toEqual(['change']));
      spec.given([registered]).when(log({ kind: 'network-change', change: 'resisted' })).thenThrows(InvalidInputError, (e) => expect(fields(e)).toEqual(['change']));
      spec.given([registered]).when(log({ kind: 'customer-response-observation', trend: 'irregular' }))
        .thenThrows(InvalidInputError, (e) => expect(fields(e)).toEqual(['trend']));
    });
    it('rejects a field that belongs to another kind', () => {
      spec.given([registered]).when(log({ newOwner: 'H1' })).thenThrows(InvalidInputError, (e) => {
        expect(fields(e)).toEqual(['newOwner']);
        expect(e.problems[0]!.message).toMatch(/does not apply to kind strategy-decision/);
      });
    });
    it('lists every problem at once', () => {
      spec.given([registered]).when(log({ orientation: 5, occurred: 'soon', title: '', confidence: 'sure' }))
        .thenThrows(InvalidInputError, (e) => expect(fields(e).sort()).toEqual(['confidence', 'occurred', 'orientation', 'title']));
    });
    it('checks sources item by item', () => {
      spec.given([registered]).when(log({ sources: [{ kind: 'interview', ref: 'INT-1' }, { kind: 'gossip', ref: '' }] }))
        .thenThrows(InvalidInputError, (e) => expect(fields(e)).toEqual(['sources[1].kind', 'sources[1].ref']));
    });
    it('given a retry of an id already in the stream, decides nothing (idempotent)', () => {
      const first = decideFirm(log({}, 'same'), [registered].reduce(evolveFirm, initialFirmState()), { today })[0]!;
      spec.given([registered, { ...first, id: 'same' } as unknown as FirmEvent]).when(log({}, 'same')).then([]);
    });
  });

  describe('ownership', () => {
    const change = (newOwner: string, occurred: string, id: string): FirmEvent & { id: string } => ({
      id,
      type: 'ownership-change',
      data: { firm: 'ravn', kind: 'ownership-change', occurred, title: 'Sold', mode: 'context', orientation: 0, sources: [], confidence: 'medium', tags: [], newOwner },
    });
    it('given the holding group owns the firm, rejects a change naming it again', () => {
      spec.given([registered, change('H1', '2001-11', 'o1')]).when(log({ kind: 'ownership-change', occurred: '2005', newOwner: 'H1' }, 'o2'))
        .thenThrows(InvalidInputError, (e) => expect(fields(e)).toEqual(['newOwner']));
    });
    it('accepts a change to a different owner', () => {
      spec.given([registered, change('H1', '2001-11', 'o1')]).when(log({ kind: 'ownership-change', occurred: '2006', newOwner: 'PE fund' }, 'o2'))
        .then([expect.objectContaining({ type: 'ownership-change' }) as never]);
    });
    it('judges the current owner by occurred time, not recording order', () => {
      // Logged later but happened earlier: the founder sold to H1 (2001) before H1 sold to PE (2006).
      spec.given([registered, change('PE fund', '2006', 'o1'), change('H1', '2001-11', 'o2')])
        .when(log({ kind: 'ownership-change', occurred: '2008', newOwner: 'PE fund' }, 'o3'))
        .thenThrows(InvalidInputError, (e) => expect(e.problems[0]!.message).toContain('already owns'));
    });
    it('rejects newOwner equal to previousOwner', () => {
      spec.given([registered]).when(log({ kind: 'ownership-change', newOwner: 'H1', previousOwner: 'H1' }))
        .thenThrows(InvalidInputError, (e) => expect(fields(e)).toEqual(['newOwner']));
    });
  });

  describe('declare-phase', () => {
    it('records a researcher phase', () => {
      spec.given([registered]).when({ type: 'declare-phase', id: 'p1', firm: 'ravn', from: '1996', to: '2001-11', label: 'customization' }).then([
        { type: 'phase-declared', data: { firm: 'ravn', from: '1996', to: '2001-11', label: 'customization' } },
      ]);
    });
    it('rejects a phase that ends before it begins', () => {
      spec.given([registered]).when({ type: 'declare-phase', id: 'p1', firm: 'ravn', from: '2004', to: '2001', label: 'cost' })
        .thenThrows(InvalidInputError, (e) => expect(fields(e)).toEqual(['to']));
    });
  });
});
