/** The replication lesson's captions are true: each step's numbers, replayed in the engine. */
import { describe, expect, it } from 'vitest';
import { findLesson } from '../../src/lessons/lessons';
import { REPLICATION } from '../../src/lessons/replication';
import { replayLessonTo } from '../../src/lessons/replay';

const metricsAt = (title: string) => {
  const index = REPLICATION.steps.findIndex((s) => s.title === title);
  expect(index, title).toBeGreaterThanOrEqual(0);
  return replayLessonTo(REPLICATION, index).sims.get('stateful')!.metrics();
};

describe('the replication lesson', () => {
  it('is registered', () => {
    expect(findLesson('replication')).toBe(REPLICATION);
  });

  it('a crash loses memory sessions, and nothing with copies on every node', () => {
    expect(metricsAt('A crash takes them along').sessionsLost).toBeGreaterThan(0);
    const replicated = metricsAt('The same crash');
    expect(replicated.sessionsLost).toBe(0);
    expect(replicated.relogins).toBe(0);
    expect(replicated.replicationBytes).toBeGreaterThan(0);
  });

  it('two crashes at once lose the sessions whose primary and backup they were', () => {
    expect(metricsAt('Two crashes at once').sessionsLost).toBeGreaterThan(0);
  });

  it('a drain fails nothing and moves replicated sessions; memory sessions still leave with the node', () => {
    const drained = metricsAt('Nothing fails');
    expect(drained.requests.failed).toBe(0);
    expect(drained.sessionsLost).toBe(0);
    const memory = metricsAt('A drain cannot save memory sessions');
    expect(memory.sessionsLost).toBeGreaterThan(0);
    expect(memory.byStatus[502]).toBeUndefined();
  });
});
