/**
 * Commands of the monitoring workflow as the API hands them to the domain. None carries a time:
 * a monitor's or a site's action on a query happens in the system, so its time is the server's
 * clock (`DecisionContext.now`). The domain re-checks every field.
 */
export interface RaiseQueryCommand {
  /** Chosen by the client (a UUID): it names the query in every later command. */
  queryId: string;
  targetEventId: string;
  field: string;
  text: string;
}

export interface AnswerQueryCommand {
  queryId: string;
  text: string;
  /** The EntryCorrected event, recorded beforehand, that corrects the queried entry. */
  correctionEventId?: string;
}

export interface CloseQueryCommand {
  queryId: string;
}

export interface CancelQueryCommand {
  queryId: string;
  reason: string;
}

export interface ReopenQueryCommand {
  queryId: string;
  text: string;
}

export interface SourceDataVerificationCommand {
  targetEventId: string;
  /** Omitted: the whole event was verified. */
  fields?: string[];
}
