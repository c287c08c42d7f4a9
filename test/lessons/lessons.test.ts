/**
 * Every lesson's captions must be true: walking each lesson in the engine gives the numbers its
 * words promise.
 */
import { describe, expect, it } from 'vitest';
import { LESSONS, findLesson } from '../../src/lessons/lessons';
import { lookOf, lookTargetId } from '../../src/lessons/lookAt';
import { fillReveal, replayLessonTo } from '../../src/lessons/replay';
import { parseScenarioHash, formatScenarioHash } from '../../src/state/scenario';

const at = (id: string, step: number, options?: { runLast?: boolean }) =>
  replayLessonTo(findLesson(id)!, step, options);

describe('the lessons', () => {
  it('are at least six, each with steps that have a title and a caption, and valid scenarios', () => {
    expect(LESSONS.length).toBeGreaterThanOrEqual(6);
    for (const lesson of LESSONS) {
      expect(lesson.steps.length).toBeGreaterThanOrEqual(3);
      expect(lesson.steps[0]!.scenario, `${lesson.id} starts from a known scenario`).toBeDefined();
      for (const step of lesson.steps) {
        expect(step.title.length).toBeGreaterThan(3);
        expect(step.caption.length).toBeGreaterThan(20);
      }
      // Every step replays without a refused command, and its scenario survives the URL round trip.
      for (let index = 0; index < lesson.steps.length; index++) {
        const { scenario } = replayLessonTo(lesson, index);
        expect(parseScenarioHash(formatScenarioHash(scenario))).toEqual({ scenario, notices: [] });
      }
    }
  });

  it('replay a step identically every time (a link opens the same cluster)', () => {
    const first = at('failure', 2);
    const again = at('failure', 2);
    for (const key of ['stateless', 'stateful'] as const) {
      expect(again.sims.get(key)!.metrics()).toEqual(first.sims.get(key)!.metrics());
      expect(again.sims.get(key)!.snapshot()).toEqual(first.sims.get(key)!.snapshot());
    }
  });

  it('1: with tokens a crash sends nobody back to login', () => {
    const sim = at('stateless', 2).sims.get('stateless')!;
    sim.advance(10_000);
    expect(sim.metrics()).toMatchObject({ sessionsLost: 0, relogins: 0 });
    expect(fillReveal('{relogins} users; {sessionsLost} sessions', sim)).toBe('0 users; 0 sessions');
  });

  it('2: without sticky routing users are sent back to login with no failure at all', () => {
    const before = at('sticky', 1).sims.get('stateful')!.metrics();
    expect(before.relogins).toBe(0);
    const after = at('sticky', 2).sims.get('stateful')!.metrics();
    expect(after.sessionsLost).toBe(0);
    expect(after.relogins).toBeGreaterThan(5);
  });

  it('3: the same crash loses sessions only on the stateful side', () => {
    const paused = at('failure', 1, { runLast: false });
    expect(paused.sims.get('stateful')!.metrics().sessionsLost).toBe(0);
    expect(paused.sims.get('stateful')!.snapshot().nodes[1]!.status).toBe('up');
    const { sims } = at('failure', 1);
    expect(sims.get('stateless')!.metrics().sessionsLost).toBe(0);
    expect(sims.get('stateful')!.metrics().sessionsLost).toBeGreaterThan(0);
    const later = at('failure', 2).sims.get('stateful')!;
    expect(later.snapshot().nodes[1]).toMatchObject({ id: 'server-2', health: 'down' });
    const recovered = at('failure', 3).sims.get('stateful')!;
    expect(recovered.snapshot().nodes[1]).toMatchObject({ status: 'up', sessions: 0 });
  });

  it('4: a shared store survives a node crash and loses everything when it fails itself', () => {
    expect(at('store', 1).sims.get('stateful')!.metrics().sessionsLost).toBe(0);
    const failed = at('store', 2).sims.get('stateful')!;
    expect(failed.metrics().sessionsLost).toBeGreaterThan(0);
    failed.advance(3_000);
    expect(failed.metrics().byStatus[503]).toBeGreaterThan(0);
    const back = at('store', 3).sims.get('stateful')!;
    expect(back.snapshot().store).toMatchObject({ status: 'up' });
    expect(back.metrics().relogins).toBeGreaterThan(0);
  });

  it('5: a new node gets no sticky user, and removing one loses its sessions', () => {
    const added = at('scaling', 1).sims.get('stateful')!;
    added.advance(20_000);
    expect(added.snapshot().nodes.find((n) => n.id === 'server-4')!.served).toBe(0);
    expect(at('scaling', 2).sims.get('stateful')!.metrics().sessionsLost).toBeGreaterThan(0);
    const stateless = at('scaling', 3).sims.get('stateless')!;
    stateless.advance(15_000);
    expect(stateless.snapshot().nodes.find((n) => n.id === 'server-4')!.served).toBeGreaterThan(10);
  });

  it('6: tokens cost bytes on every request', () => {
    const { sims } = at('tokens', 0);
    expect(sims.get('stateless')!.metrics().bytesPerRequest).toBeGreaterThan(
      sims.get('stateful')!.metrics().bytesPerRequest + 150,
    );
    expect(at('tokens', 1).sims.get('stateless')!.metrics().requests.failed).toBe(0);
    const denyList = at('tokens', 4).sims.get('stateless')!;
    expect(denyList.snapshot().store).toMatchObject({ role: 'deny-list', status: 'up' });
    expect(denyList.snapshot().store!.revokedTokens).toBeGreaterThan(0);
    const failed = at('tokens', 5).sims.get('stateless')!;
    expect(failed.metrics().byStatus[503]).toBeGreaterThan(0);
    expect(fillReveal('{failed} requests failed', failed)).toBe(`${failed.metrics().requests.failed} requests failed`);
  });

  it('ring something that exists in the view each step shows, while predicting and after', () => {
    for (const lesson of LESSONS) {
      lesson.steps.forEach((step, index) => {
        const phases = step.predict === undefined ? [true] : [false, true];
        for (const revealed of phases) {
          const where = `${lesson.id} step ${index + 1}${revealed ? '' : ' (predicting)'}`;
          const { scenario, sims } = replayLessonTo(lesson, index, { runLast: revealed });
          const look = lookOf(step, revealed);
          expect(look, `${where} rings something`).toBeDefined();
          const compare = scenario.mode === 'compare';
          const id = lookTargetId(look, compare);
          expect(id, `${where} has a target in this view`).not.toBeNull();
          for (const sim of sims.values()) {
            const snapshot = sim.snapshot();
            if (look!.kind === 'node')
              expect(
                snapshot.nodes.map((n) => n.id),
                `${where}: the node exists`,
              ).toContain(look!.node);
            if (look!.kind === 'store') expect(snapshot.store, `${where}: the store exists`).not.toBeNull();
          }
          // Compare hides each pane's detail numbers: they are ringed in the summary table instead.
          if (compare && look!.kind === 'metric' && !['sessionsLost', 'failed'].includes(look!.metric))
            expect(id).toBe(`summary:${look!.metric}`);
        }
      });
    }
    // The two that rang nothing: the scaling lesson's new node before it exists, and Compare's bytes figure.
    const scaling = findLesson('scaling')!.steps[1]!;
    expect(lookTargetId(lookOf(scaling, false), false)).toBe('balancer');
    expect(lookTargetId(lookOf(scaling, true), false)).toBe('node:server-4');
    expect(lookTargetId(findLesson('tokens')!.steps[0]!.lookAt, true)).toBe('summary:bytesPerRequest');
  });
});
