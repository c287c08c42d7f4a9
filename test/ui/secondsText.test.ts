/** The clock the room reads: a one-second step moves it by exactly 1.0, wherever the moment falls. */
import { describe, expect, it } from 'vitest';
import { secondsText } from '../../src/ui/secondsText';

describe('secondsText', () => {
  it('rounds from whole tenths, so a step of 1 s always adds 1.0', () => {
    // toFixed on ms / 1000 gave "3.9 s" and then "4.8 s" for 3,850 and 4,850 ms.
    for (let ms = 0; ms < 20_000; ms += 12.5) {
      const before = Number.parseFloat(secondsText(ms));
      const after = Number.parseFloat(secondsText(ms + 1_000));
      expect(after - before, `at ${ms} ms`).toBeCloseTo(1, 9);
    }
    expect(secondsText(3_850)).toBe('3.9 s');
    expect(secondsText(4_850)).toBe('4.9 s');
    expect(secondsText(0)).toBe('0.0 s');
    expect(secondsText(14_749)).toBe('14.7 s');
  });
});
