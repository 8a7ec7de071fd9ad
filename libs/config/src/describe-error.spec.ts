import { describeError } from './describe-error';

describe('describeError', () => {
  it("gives an error's message, without its name or stack", () => {
    expect(describeError(new RangeError('limit must be a positive integer'))).toBe('limit must be a positive integer');
  });

  it.each([
    ['a string', 'connection refused', 'connection refused'],
    ['undefined', undefined, 'undefined'],
    ['null', null, 'null'],
    ['a number', 42, '42'],
  ])('gives what String() says of %s', (_kind, thrown, expected) => {
    expect(describeError(thrown)).toBe(expected);
  });

  it('gives the message of a thrown object that is not an Error (as some drivers reject with)', () => {
    expect(describeError({ code: 'ECONNRESET', message: 'socket hang up' })).toBe('socket hang up');
  });
});
