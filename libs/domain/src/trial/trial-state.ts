import { CommittedEvent } from '../patient-state';

/** open → (frozen) → locked → unblinded; each step is final. */
export type TrialStatus = 'open' | 'frozen' | 'locked' | 'unblinded';

export interface TrialState {
  status: TrialStatus;
  /** Server times (ISO 8601) of each step taken. */
  frozenAt: string | null;
  lockedAt: string | null;
  unblindedAt: string | null;
}

export const initialTrialState: TrialState = { status: 'open', frozenAt: null, lockedAt: null, unblindedAt: null };

export const evolveTrial = (state: TrialState, event: Pick<CommittedEvent, 'type' | 'occurredAt'>): TrialState => {
  switch (event.type) {
    case 'DatabaseFrozen':
      return { ...state, status: 'frozen', frozenAt: event.occurredAt };
    case 'DatabaseLocked':
      return { ...state, status: 'locked', lockedAt: event.occurredAt };
    case 'TrialUnblinded':
      return { ...state, status: 'unblinded', unblindedAt: event.occurredAt };
    default:
      return state;
  }
};

export const trialStateFrom = (events: Iterable<Pick<CommittedEvent, 'type' | 'occurredAt'>>): TrialState => {
  let state = initialTrialState;
  for (const event of events) state = evolveTrial(state, event);
  return state;
};

export const isLocked = (state: TrialState): boolean => state.status === 'locked' || state.status === 'unblinded';
export const isUnblinded = (state: TrialState): boolean => state.status === 'unblinded';
