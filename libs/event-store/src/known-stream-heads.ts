/**
 * Streams whose head row a transaction of this writer found or created and committed. Head rows are never
 * removed (the application's role may not delete them), so an append conditioned on such a stream at version
 * 0 (patient data while the trial stream holds no event yet, as on the built-in protocol) need not insert its
 * row before locking it: one round trip less per group commit. Conditions name trial streams only, so the
 * set stays as small as the number of trials.
 */
export class KnownStreamHeads {
  private readonly streamIds = new Set<string>();

  has(streamId: string): boolean {
    return this.streamIds.has(streamId);
  }

  /** Call once the transaction that found or created these heads has committed. */
  addCommitted(streamIds: Iterable<string>): void {
    for (const streamId of streamIds) this.streamIds.add(streamId);
  }
}
