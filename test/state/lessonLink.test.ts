/**
 * A lesson link (`#…&lesson=failure&step=2`) opens that lesson at that step; a wrong lesson or step
 * says so in a notice and is corrected in the link, so Copy link never passes the error on.
 */
import { describe, expect, it } from 'vitest';
import { lessonFromHash, readLessonLink } from '../../src/lessons/runner';
import { findLesson } from '../../src/lessons/lessons';

const FAILURE_STEPS = findLesson('failure')!.steps.length;

describe('a lesson link', () => {
  it('names a lesson and a step counting from 1', () => {
    expect(readLessonLink('#mode=compare&lesson=failure&step=2')).toEqual({
      lesson: { id: 'failure', step: 1 },
      notices: [],
      fix: false,
    });
    expect(lessonFromHash('lesson=failure&step=2')).toEqual({ id: 'failure', step: 1 });
  });

  it('without a step opens the first one, quietly', () => {
    expect(readLessonLink('#lesson=failure')).toEqual({ lesson: { id: 'failure', step: 0 }, notices: [], fix: false });
  });

  it('without a lesson opens nothing', () => {
    expect(readLessonLink('#mode=stateless')).toEqual({ lesson: null, notices: [], fix: false });
    expect(readLessonLink('')).toEqual({ lesson: null, notices: [], fix: false });
  });

  it('drops a step that has no lesson, quietly', () => {
    expect(readLessonLink('#step=3')).toEqual({ lesson: null, notices: [], fix: true });
  });
});

describe('a wrong lesson link', () => {
  it('names no real lesson: a notice, and the keys are dropped', () => {
    expect(readLessonLink('#lesson=nope&step=2')).toEqual({
      lesson: null,
      notices: ['There is no lesson "nope".'],
      fix: true,
    });
    expect(readLessonLink('#lesson=')).toEqual({ lesson: null, notices: ['There is no lesson "".'], fix: true });
    expect(lessonFromHash('#lesson=nope')).toBeNull();
  });

  it('repeats script-like or very long names as text, shortened', () => {
    expect(readLessonLink(`#lesson=${encodeURIComponent('<img src=x onerror=alert(1)>')}`).notices).toEqual([
      'There is no lesson "<img src=x onerror=alert(1)>".',
    ]);
    const long = readLessonLink(`#lesson=${'é'.repeat(10_000)}`).notices[0]!;
    expect(long).toBe(`There is no lesson "${'é'.repeat(40)}…".`);
  });

  it.each([
    ['0', 0, `"step=0" is before the first step of lesson "failure"; opening step 1 of ${FAILURE_STEPS}.`],
    ['-3', 0, `"step=-3" is before the first step of lesson "failure"; opening step 1 of ${FAILURE_STEPS}.`],
    [
      '99',
      FAILURE_STEPS - 1,
      `"step=99" is past the last step of lesson "failure"; opening step ${FAILURE_STEPS} of ${FAILURE_STEPS}.`,
    ],
    [
      '1e999',
      FAILURE_STEPS - 1,
      `"step=1e999" is past the last step of lesson "failure"; opening step ${FAILURE_STEPS} of ${FAILURE_STEPS}.`,
    ],
    ['two', 0, `"step=two" is not a step number (lesson "failure" has steps 1 to ${FAILURE_STEPS}); opening step 1.`],
    ['2.5', 0, `"step=2.5" is not a step number (lesson "failure" has steps 1 to ${FAILURE_STEPS}); opening step 1.`],
    ['', 0, `"step=" is not a step number (lesson "failure" has steps 1 to ${FAILURE_STEPS}); opening step 1.`],
  ])('step=%s is clamped (or starts at 1) with a notice', (raw, step, notice) => {
    expect(readLessonLink(`#lesson=failure&step=${encodeURIComponent(raw)}`)).toEqual({
      lesson: { id: 'failure', step },
      notices: [notice],
      fix: true,
    });
  });

  it('a step written another way is taken, and rewritten plainly', () => {
    expect(readLessonLink('#lesson=failure&step=02')).toEqual({
      lesson: { id: 'failure', step: 1 },
      notices: [],
      fix: true,
    });
  });
});
