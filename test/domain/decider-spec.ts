import { expect } from '@jest/globals';
import { DomainError } from '../../src/domain/errors.js';

/**
 * Given/when/then for deciders, after Emmett's DeciderSpecification: given past events, when a
 * command is decided, then exactly these events (or this error). Pure: no store involved.
 */
export interface DeciderUnderTest<C, S, E, Ctx> {
  decide(command: C, state: S, ctx: Ctx): E[];
  evolve(state: S, event: E): S;
  initialState(): S;
}

export function deciderSpec<C, S, E, Ctx>(decider: DeciderUnderTest<C, S, E, Ctx>, ctx: Ctx) {
  return {
    given(events: E[]) {
      return {
        when(command: C) {
          const run = () => decider.decide(command, events.reduce(decider.evolve, decider.initialState()), ctx);
          return {
            then(expected: E[]) {
              expect(run()).toEqual(expected);
            },
            thenThrows<T extends DomainError>(type: new (...args: any[]) => T, check?: (err: T) => void) {
              let caught: unknown;
              try {
                run();
              } catch (err) {
                caught = err;
              }
              expect(caught).toBeInstanceOf(type);
              check?.(caught as T);
            },
          };
        },
      };
    },
  };
}
