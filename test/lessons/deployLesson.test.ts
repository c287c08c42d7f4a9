/** "Deploying without losing anyone": each step's reveal is true in the engine (the same users, replayed). */
import { describe, expect, it } from 'vitest';
import { DEPLOY } from '../../src/lessons/deploy';
import { findLesson, LESSONS } from '../../src/lessons/lessons';
import { fillReveal, replayLessonTo } from '../../src/lessons/replay';

/** The cluster a step shows, after its commands and traffic, or just before them (a predict pause). */
function at(title: string, runLast = true) {
  const index = DEPLOY.steps.findIndex((s) => s.title === title);
  expect(index, title).toBeGreaterThanOrEqual(0);
  const { sims } = replayLessonTo(DEPLOY, index, { runLast });
  const sim = sims.get('stateful') ?? sims.get('stateless')!;
  return { sim, metrics: sim.metrics(), step: DEPLOY.steps[index]! };
}

/** The numbers of a deploy step alone: after it, minus just before its commands. */
function deploy(title: string) {
  const before = at(title, false).metrics;
  const { sim, metrics, step } = at(title);
  return {
    sim,
    step,
    sessionsLost: metrics.sessionsLost - before.sessionsLost,
    relogins: metrics.relogins - before.relogins,
    failed: metrics.requests.failed - before.requests.failed,
    status502: (metrics.byStatus[502] ?? 0) - (before.byStatus[502] ?? 0),
    sentToDeadNode: metrics.sentToDeadNode - before.sentToDeadNode,
    sessionsBefore: at(title, false)
      .sim.snapshot()
      .nodes.reduce((sum, n) => sum + n.sessions, 0),
  };
}

describe('the deploy lesson', () => {
  it('is listed, and every deploy step asks the room first', () => {
    expect(findLesson('deploy')).toBe(DEPLOY);
    expect(LESSONS).toContain(DEPLOY);
    const deploys = DEPLOY.steps.filter((s) => s.commands?.some((c) => c.type === 'deploy'));
    expect(deploys).toHaveLength(4);
    for (const step of deploys) expect(step.predict, step.title).toBeDefined();
  });

  it('every roll is over by the end of its step: all nodes on v2, in the pool', () => {
    for (const title of [
      'Deploy by restarting each node',
      'Drained, with sessions in memory',
      'Drained, with a shared store',
      'Drained, with tokens',
    ]) {
      const nodes = at(title).sim.snapshot().nodes;
      expect(
        nodes.map((n) => [n.version, n.deploy, n.health]),
        title,
      ).toEqual(nodes.map(() => ['v2', null, 'up']));
    }
  });

  it('restarted with memory sessions: about every session lost, requests fail, and some go to a dead node', () => {
    const r = deploy('Deploy by restarting each node');
    expect(r.sessionsBefore).toBeGreaterThanOrEqual(9);
    expect(r.sessionsLost).toBeGreaterThanOrEqual(r.sessionsBefore);
    expect(r.relogins).toBeGreaterThanOrEqual(10);
    expect(r.failed).toBeGreaterThan(0);
    expect(r.sentToDeadNode).toBeGreaterThan(5);
    expect(fillReveal(r.step.predict!.reveal, r.sim)).toMatch(
      /^\d+ times a user was sent back to login, \d+ sessions lost; \d+ requests went to a restarting node\.$/,
    );
  });

  it('drained with memory sessions: no request dies in a node or goes to a dead one, but the sessions are lost all the same', () => {
    const r = deploy('Drained, with sessions in memory');
    expect(r.status502).toBe(0);
    expect(r.sentToDeadNode).toBe(0);
    expect(r.sessionsLost).toBeGreaterThanOrEqual(r.sessionsBefore);
    expect(r.relogins).toBeGreaterThanOrEqual(10);
    // What fails is each logged-out user's next request (401), nothing else.
    expect(r.failed).toBe(r.relogins);
    expect(fillReveal(r.step.predict!.reveal, r.sim)).toMatch(
      /^[1-9]\d* sessions lost all the same: they lived in the memory that left\. [1-9]\d* users sent back to login\.$/,
    );
  });

  it('drained with a shared store, and with tokens: nothing lost, nothing failed', () => {
    for (const title of ['Drained, with a shared store', 'Drained, with tokens']) {
      const r = deploy(title);
      expect(r.sessionsLost, title).toBe(0);
      expect(r.relogins, title).toBe(0);
      expect(r.failed, title).toBe(0);
      expect(fillReveal(r.step.predict!.reveal, r.sim), title).toMatch(/^0 requests failed, 0 /);
    }
  });
});
