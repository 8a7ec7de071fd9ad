import type { RecordMetadata } from 'kafkajs';
import { MAX_UNACKNOWLEDGED_RESENDS, sendUntilAcknowledged } from './acknowledged-send';

interface Message {
  partition: number;
  id: string;
}

const answer = (partition: number, errorCode = 0): RecordMetadata => ({ topicName: 'events', partition, errorCode });
const messages: Message[] = [
  { partition: 0, id: 'a' },
  { partition: 1, id: 'b' },
  { partition: 0, id: 'c' },
  { partition: 2, id: 'd' },
];

describe('a send that must be acknowledged by every partition', () => {
  it('sends once when every partition answers', async () => {
    const sent: Message[][] = [];

    await sendUntilAcknowledged(async (batch) => (sent.push(batch), [answer(0), answer(1), answer(2)]), messages);

    expect(sent).toEqual([messages]);
  });

  it('sends the messages of partitions the client resolved without again, in their order, and tells', async () => {
    const sent: Message[][] = [];
    const resends: Array<[number[], number]> = [];
    // As kafkajs 2.2.4 answers when partition 0's broker died mid-send and its partitions moved to one that had answered.
    const answers = [[answer(1), answer(2)], [answer(0)]];

    await sendUntilAcknowledged(
      async (batch) => (sent.push(batch), answers[sent.length - 1]),
      messages,
      (partitions, count) => resends.push([partitions, count]),
    );

    expect(sent.map((batch) => batch.map((message) => message.id))).toEqual([
      ['a', 'b', 'c', 'd'],
      ['a', 'c'],
    ]);
    expect(resends).toEqual([[[0], 2]]);
  });

  it('counts an answer with an error as no acknowledgement', async () => {
    const sent: Message[][] = [];
    const answers = [[answer(0), answer(1, 6), answer(2)], [answer(1)]];

    await sendUntilAcknowledged(async (batch) => (sent.push(batch), answers[sent.length - 1]), messages);

    expect(sent[1]).toEqual([{ partition: 1, id: 'b' }]);
  });

  it('fails, naming the partitions, when they never acknowledge', async () => {
    let sends = 0;

    await expect(sendUntilAcknowledged(async () => (sends++, [answer(0), answer(1)]), messages)).rejects.toThrow(
      'partition(s) 2 did not acknowledge 1 message(s)',
    );
    expect(sends).toBe(1 + MAX_UNACKNOWLEDGED_RESENDS);
  });
});
