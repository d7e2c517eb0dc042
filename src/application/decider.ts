/** The Decider shape every aggregate here follows (see ARCHITECTURE.md "Patterns"). */
export interface Decider<C, S, E, Ctx = unknown> {
  decide(command: C, state: S, ctx: Ctx): E[];
  evolve(state: S, event: E & { id?: string }): S;
  initialState(): S;
}
