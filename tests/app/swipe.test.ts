import { isSwipe, SWIPE_MIN } from '../../src/app/useSwipe';

describe('isSwipe: a sideways swipe steps, a scroll does not', () => {
  it('to the left is the next step, to the right the previous', () => {
    expect(isSwipe(-SWIPE_MIN - 10, 5)).toBe(1);
    expect(isSwipe(SWIPE_MIN + 10, -5)).toBe(-1);
  });

  it('too short is a tap or a wobble', () => {
    expect(isSwipe(-(SWIPE_MIN - 1), 0)).toBe(0);
    expect(isSwipe(SWIPE_MIN - 1, 0)).toBe(0);
  });

  it('more up or down than sideways is a scroll', () => {
    expect(isSwipe(-100, 80)).toBe(0);
    expect(isSwipe(100, -67)).toBe(0);
    expect(isSwipe(-100, 66)).toBe(1);
    expect(isSwipe(0, 300)).toBe(0);
  });
});
