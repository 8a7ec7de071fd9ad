import type { RecordMetadata } from 'kafkajs';

/** A message whose partition is chosen before it is sent, so that its acknowledgement can be looked for. */
export interface PartitionedMessage {
  partition: number;
}

/** How often the messages of partitions a send resolved without are sent again before the publish fails. */
export const MAX_UNACKNOWLEDGED_RESENDS = 5;

/**
 * Sends the messages and resolves only once every partition among them has acknowledged its messages. kafkajs 2.2.4
 * can resolve a send without some partitions' answers: it keeps the answers of a send's requests by broker across
 * the send's retries, so when a broker dies while a request to it is in flight and its partitions move to brokers
 * that had already answered, the retry skips those brokers and the dead broker's messages are never sent again.
 * The messages of a partition missing from the answers are sent again, in their order; the idempotent producer
 * writes them once even if the dead broker had replicated them after all. `onResend` hears of each such resend.
 */
export async function sendUntilAcknowledged<M extends PartitionedMessage>(
  send: (messages: M[]) => Promise<RecordMetadata[]>,
  messages: M[],
  onResend: (partitions: number[], messages: number) => void = () => undefined,
): Promise<void> {
  let pending = messages;
  for (let resends = 0; pending.length > 0; resends++) {
    if (resends > MAX_UNACKNOWLEDGED_RESENDS) {
      throw new Error(`partition(s) ${partitionsOf(pending).join(', ')} did not acknowledge ${pending.length} message(s)`);
    }
    if (resends > 0) onResend(partitionsOf(pending), pending.length);
    const answers = await send(pending);
    const acknowledged = new Set(answers.filter((answer) => answer.errorCode === 0).map((answer) => answer.partition));
    pending = pending.filter((message) => !acknowledged.has(message.partition));
  }
}

function partitionsOf(messages: PartitionedMessage[]): number[] {
  return [...new Set(messages.map((message) => message.partition))].sort((a, b) => a - b);
}
