import { decideFirm, evolveFirm, initialFirmState, type DecideContext, type FirmCommand, type FirmState } from '../domain/firm-decider.js';
import type { FirmEvent, StudyEvent } from '../domain/events.js';
import { decideStudy, evolveStudy, initialStudyState, type StudyCommand, type StudyState } from '../domain/study-decider.js';
import type { Decider } from './decider.js';

export const firmDecider: Decider<FirmCommand, FirmState, FirmEvent, DecideContext> = {
  decide: decideFirm,
  evolve: evolveFirm,
  initialState: initialFirmState,
};

export const studyDecider: Decider<StudyCommand, StudyState, StudyEvent, unknown> = {
  decide: (c, s) => decideStudy(c, s),
  evolve: evolveStudy,
  initialState: initialStudyState,
};
