import { KeptByDate } from './kept-by-date';

describe('values kept per reporting date', () => {
  let today = '2026-03-20';
  const kept = new KeptByDate<number>(1, () => today);

  it("keeps today's values while other dates come and go, and one other date besides", () => {
    kept.at(today).set('S01', 1);
    kept.at('2026-03-01').set('S01', 2);
    kept.at('2026-03-02').set('S01', 3);
    expect(kept.at(today).get('S01')).toBe(1);
    expect(kept.at('2026-03-02').get('S01')).toBe(3);
    expect(kept.at('2026-03-01').get('S01')).toBeUndefined();
  });

  it('lets the day before go once the date has moved on', () => {
    today = '2026-03-21';
    kept.at(today).set('S01', 4);
    kept.at('2026-03-05').set('S01', 5);
    expect(kept.at('2026-03-20').get('S01')).toBeUndefined();
    expect(kept.at(today).get('S01')).toBe(4);
  });
});
