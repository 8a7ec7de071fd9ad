import { RereadSchedule } from './reread-schedule';

describe('RereadSchedule', () => {
  it('waits the idle poll when nothing was announced', () => {
    const schedule = new RereadSchedule();
    expect(schedule.delayAfterEmptyRead(150)).toBe(150);
  });

  it('retries soon and ever later after a notification, then falls back to the idle poll', () => {
    const schedule = new RereadSchedule();
    schedule.notified();
    const delays = Array.from({ length: 7 }, () => schedule.delayAfterEmptyRead(150));
    expect(delays).toEqual([2, 5, 10, 20, 40, 150, 150]);
  });

  it('starts the quick retries over with every notification', () => {
    const schedule = new RereadSchedule();
    schedule.notified();
    schedule.delayAfterEmptyRead(100);
    schedule.delayAfterEmptyRead(100);
    schedule.notified();
    expect(schedule.delayAfterEmptyRead(100)).toBe(2);
  });
});
