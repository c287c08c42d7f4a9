/** "Gray failures and retried orders": its reveals are true in the engine. */
import { describe, expect, it } from 'vitest';
import { findLesson } from '../../src/lessons/lessons';
import { fillReveal, replayLessonTo } from '../../src/lessons/replay';

const lesson = findLesson('gray-failure')!;
const sim = (step: number) => {
  const { sims } = replayLessonTo(lesson, step);
  return sims.get('stateful') ?? sims.get('stateless')!;
};

describe('the gray failure lesson', () => {
  it('is listed, and asks the room before the cut and before each crash', () => {
    expect(lesson.title).toBe('Gray failures and retried orders');
    expect(lesson.steps).toHaveLength(7);
    for (const step of [1, 4, 6]) expect(lesson.steps[step]!.predict).toBeDefined();
  });

  it('the cut: every node stays in the balancer’s pool, and only Server 2’s users fail', () => {
    const cut = sim(1);
    const nodes = cut.snapshot().nodes;
    expect(nodes.every((n) => n.status === 'up' && n.health === 'up')).toBe(true);
    expect(nodes[1]!.storeLink).toBe('cut');
    const metrics = cut.metrics();
    expect(metrics.requests.failed).toBeGreaterThan(40);
    // Every failure is one of server-2's answers: nobody else saw an error.
    const before = sim(0).metrics();
    expect(metrics.requests.failed).toBe(metrics.byNode['server-2']! - before.byNode['server-2']!);
    expect(Object.keys(metrics.byStatus).sort()).toEqual(['200', '503']);
    expect(fillReveal(lesson.steps[1]!.predict!.reveal, cut)).toMatch(/its users got \d+ errors \(503\)/);
  });

  it('restored: no more failures', () => {
    const restored = sim(2);
    const failed = restored.metrics().requests.failed;
    restored.advance(10_000);
    expect(restored.metrics().requests.failed).toBe(failed);
  });

  it('the crash mid-checkout places orders twice; the same crash with keys places none twice', () => {
    const before = sim(3).metrics();
    expect(before.duplicateOrders).toBe(0);
    expect(before.checkoutsCompleted).toBeGreaterThan(20);
    const without = sim(4).metrics();
    const withKeys = sim(6).metrics();
    expect(without.duplicateOrders).toBeGreaterThanOrEqual(2);
    expect(withKeys.duplicateOrders).toBe(0);
    expect(withKeys.orders).toBeLessThan(without.orders);
    expect(fillReveal(lesson.steps[4]!.predict!.reveal, sim(4))).toMatch(/^[2-9]\d* orders were placed twice/);
  });
});
