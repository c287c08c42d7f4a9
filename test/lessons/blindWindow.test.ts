/** "The blind window" lesson: its reveals are true in the engine (the same crash, three presets). */
import { describe, expect, it } from 'vitest';
import { findLesson } from '../../src/lessons/lessons';
import { fillReveal, replayLessonTo } from '../../src/lessons/replay';

const lesson = findLesson('blind-window')!;
const after = (step: number) => replayLessonTo(lesson, step).sims.get('stateless')!;

describe('the blind window lesson', () => {
  const haproxy = after(1).metrics();
  const nginx = after(3).metrics();
  const envoy = after(5).metrics();

  it('is listed, and each crash step asks the room before it acts', () => {
    expect(lesson.steps).toHaveLength(6);
    for (const step of [1, 3, 5]) expect(lesson.steps[step]!.predict?.reveal).toMatch(/\{sentToDeadNode\}/);
  });

  it('haproxy: dozens of requests go to the dead node in the 6 s blind window (≈ 10/s × 2 s × 3), and retries save them', () => {
    expect(haproxy.sentToDeadNode).toBeGreaterThan(40);
    expect(haproxy.sentToDeadNode).toBeLessThan(90);
    expect(haproxy.requests.failed).toBeLessThanOrEqual(3);
  });

  it('nginx: the first failure takes the node out — a handful at most', () => {
    expect(nginx.sentToDeadNode).toBeLessThanOrEqual(3);
    expect(nginx.requests.failed).toBeLessThanOrEqual(3);
  });

  it('envoy: few reach the dead node, but with no retry they all fail', () => {
    expect(envoy.sentToDeadNode).toBeLessThan(haproxy.sentToDeadNode / 5);
    expect(envoy.requests.failed).toBeGreaterThanOrEqual(5);
    expect(envoy.requests.failed).toBeGreaterThan(haproxy.requests.failed);
    expect(fillReveal(lesson.steps[5]!.predict!.reveal, after(5))).toMatch(
      /^\d+ requests went to the dead node and \d+ failed/,
    );
  });
});
