import {
  clinicalStatusCounts,
  firstBCellDepletion,
  isBCellDepleted,
  isDepletedCount,
  isIncatResponder,
  isUlnarEvaluable,
  isUlnarResponder,
  isUlnarWorsener,
  sensorySumChange,
} from './endpoints';
import { aboveQuantification, belowDetection, observation } from '../testing';

describe('B-cell depletion', () => {
  it('counts a result below detection as depleted, whatever its limit', () => {
    expect(isDepletedCount(belowDetection('2024-03-01', 5))).toBe(true);
  });

  it('counts a measured zero as depleted', () => {
    expect(isDepletedCount(observation('2024-03-01', 0))).toBe(true);
  });

  it('counts a measured value below the protocol threshold as depleted, and one at the threshold as not', () => {
    expect(isDepletedCount(observation('2024-03-01', 4.9), 5)).toBe(true);
    expect(isDepletedCount(observation('2024-03-01', 5), 5)).toBe(false);
  });

  it('does not count a low but measured value without a threshold', () => {
    expect(isDepletedCount(observation('2024-03-01', 2))).toBe(false);
  });

  it('never counts a result above quantification', () => {
    expect(isDepletedCount(aboveQuantification('2024-03-01', 0), 5)).toBe(false);
  });

  it('finds the first depleted count of a patient', () => {
    const counts = [observation('2024-01-25', 220), belowDetection('2024-04-01', 1), observation('2024-02-15', 3)];
    expect(firstBCellDepletion(counts)?.date).toBe('2024-04-01');
    expect(firstBCellDepletion(counts, { thresholdCellsPerUl: 5 })?.date).toBe('2024-02-15');
    expect(isBCellDepleted(counts)).toBe(true);
  });

  it('ignores counts before treatment when asked', () => {
    const counts = [belowDetection('2024-01-25', 1), observation('2024-04-01', 150)];
    expect(isBCellDepleted(counts)).toBe(true);
    expect(isBCellDepleted(counts, { after: '2024-02-01' })).toBe(false);
  });

  it('is not depleted without any count', () => {
    expect(isBCellDepleted([])).toBe(false);
  });
});

describe('clinicalStatusCounts', () => {
  it('counts improved, stable and worsened, and the patients not assessed', () => {
    expect(clinicalStatusCounts(['improved', 'stable', 'worsened', 'stable', undefined, 'improved', 'stable'])).toEqual({
      improved: 2,
      stable: 3,
      worsened: 1,
      notAssessed: 1,
    });
  });

  it('is all zero for nobody', () => {
    expect(clinicalStatusCounts([])).toEqual({ improved: 0, stable: 0, worsened: 0, notAssessed: 0 });
  });
});

describe('ulnar conduction-velocity response', () => {
  it('counts exactly 10% faster as a response, even where floating point lands a hair below', () => {
    // 38.7 m/s × 1.1 = 42.57 m/s; (42.57 − 38.7) / 38.7 evaluates to 0.09999999999999992
    expect(isUlnarResponder({ left: 38.7 }, { left: 42.57 })).toBe(true);
  });

  it('does not count 9.9% faster', () => {
    // 40 -> 43.96: +3.96 / 40 = 9.9%
    expect(isUlnarResponder({ left: 40, right: 40 }, { left: 43.96, right: 43.96 })).toBe(false);
  });

  it('needs one ulnar nerve only', () => {
    // left 40 -> 41 (+2.5%), right 36 -> 40 (+11.1%)
    expect(isUlnarResponder({ left: 40, right: 36 }, { left: 41, right: 40 })).toBe(true);
  });

  it('ignores a side studied only once', () => {
    // the right side had no baseline: its 50 m/s cannot be compared
    expect(isUlnarResponder({ left: 40 }, { left: 41, right: 50 })).toBe(false);
  });

  it('takes the threshold as a parameter', () => {
    // 40 -> 46: +15%
    expect(isUlnarResponder({ left: 40 }, { left: 46 }, 0.2)).toBe(false);
    expect(isUlnarResponder({ left: 40 }, { left: 46 }, 0.15)).toBe(true);
  });

  it('counts exactly 10% slower as worsening, even where floating point lands a hair short', () => {
    // 41.3 × 0.9 = 37.17; (37.17 − 41.3) / 41.3 evaluates to −0.0999999999999999
    expect(isUlnarWorsener({ right: 41.3 }, { right: 37.17 })).toBe(true);
    // 40 -> 36.04: −9.9%
    expect(isUlnarWorsener({ right: 40 }, { right: 36.04 })).toBe(false);
  });

  it('can find one nerve better and the other worse', () => {
    // left 40 -> 45 (+12.5%), right 40 -> 35 (−12.5%)
    const baseline = { left: 40, right: 40 };
    const followUp = { left: 45, right: 35 };
    expect([isUlnarResponder(baseline, followUp), isUlnarWorsener(baseline, followUp)]).toEqual([true, true]);
  });

  it('tells whether the patient can be evaluated at all', () => {
    expect(isUlnarEvaluable({ left: 40 }, { right: 40 })).toBe(false);
    expect(isUlnarEvaluable({}, {})).toBe(false);
    expect(isUlnarEvaluable({ left: 40 }, { left: 39 })).toBe(true);
    expect(isUlnarResponder({ left: 40 }, { right: 60 })).toBe(false);
  });
});

describe('isIncatResponder', () => {
  it('counts a fall of one point on the total', () => {
    expect(isIncatResponder({ total: 4 }, { total: 3 })).toBe(true);
    expect(isIncatResponder({ total: 4 }, { total: 4 })).toBe(false);
    expect(isIncatResponder({ total: 4 }, { total: 5 })).toBe(false);
  });

  it('reads the leg part when the endpoint is defined on it', () => {
    // total 5 -> 4 with legs 3 -> 3: the arms improved, not the legs
    const baseline = { total: 5, legs: 3 };
    const month8 = { total: 4, legs: 3 };
    expect(isIncatResponder(baseline, month8)).toBe(true);
    expect(isIncatResponder(baseline, month8, { part: 'legs' })).toBe(false);
    expect(isIncatResponder({ legs: 3 }, { legs: 2 }, { part: 'legs' })).toBe(true);
  });

  it('takes the minimum fall as a parameter', () => {
    expect(isIncatResponder({ total: 6 }, { total: 5 }, { minimumFall: 2 })).toBe(false);
    expect(isIncatResponder({ total: 6 }, { total: 4 }, { minimumFall: 2 })).toBe(true);
  });

  it('is not a responder when a score is missing', () => {
    expect(isIncatResponder({}, { total: 1 })).toBe(false);
    expect(isIncatResponder({ total: 4 }, { legs: 1 })).toBe(false);
  });
});

describe('sensorySumChange', () => {
  it('is the follow-up minus the baseline: a fall is an improvement', () => {
    expect(sensorySumChange(9, 6)).toBe(-3);
    expect(sensorySumChange(6, 8)).toBe(2);
  });
});
