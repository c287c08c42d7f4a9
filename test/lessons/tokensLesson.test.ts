/** The "Tokens, honestly" lesson's captions are true: each step's numbers, replayed in the engine. */
import { describe, expect, it } from 'vitest';
import { findLesson } from '../../src/lessons/lessons';
import { TOKENS_HONESTLY } from '../../src/lessons/tokens';
import { fillReveal, replayLessonTo } from '../../src/lessons/replay';

const simAt = (title: string) => {
  const index = TOKENS_HONESTLY.steps.findIndex((s) => s.title === title);
  expect(index, title).toBeGreaterThanOrEqual(0);
  return replayLessonTo(TOKENS_HONESTLY, index).sims.get('stateless')!;
};

describe('the tokens lesson', () => {
  it('is registered', () => {
    expect(findLesson('tokens-honestly')).toBe(TOKENS_HONESTLY);
  });

  it('a ban without a deny-list: the banned user is still answered 200 until the token expires', () => {
    expect(simAt('Ban Bo').metrics().bannedUserRequestsOk).toBe(5);
  });

  it('with a deny-list the ban refuses him at once', () => {
    const sim = simAt('Ban Bo again');
    expect(sim.metrics().bannedUserRequestsOk).toBe(0);
    expect(sim.metrics().byStatus[401]).toBeGreaterThan(0);
  });

  it('short expiry + refresh tokens: users refresh through the token store, which holds one refresh token each', () => {
    const sim = simAt('Short expiry + refresh tokens');
    expect(sim.config.refreshTokens).toBe(true);
    expect(sim.config.denyList).toBe(false);
    expect(sim.snapshot().store).toMatchObject({ role: 'refresh-tokens', status: 'up' });
    expect(sim.snapshot().store!.refreshTokens).toBeGreaterThan(20);
  });

  it('a ban with refresh tokens: served only within one 15 s access lifetime, then the refresh is refused', () => {
    const banned = simAt('Ban Bo, with refresh tokens');
    const plain = simAt('Ban Bo');
    // The same user banned at the same moment (10 s) of the same run: 5 answers with 60 s tokens, 2 with 15 s ones.
    expect(plain.metrics().bannedUserRequestsOk).toBe(5);
    expect(banned.metrics().bannedUserRequestsOk).toBe(2);
    expect(banned.metrics().byStatus[400]).toBe(1);
    expect(banned.metrics().tokensRefreshed).toBeGreaterThan(30);
    const reveal = TOKENS_HONESTLY.steps.find((s) => s.title === 'Ban Bo, with refresh tokens')!.predict!.reveal;
    expect(fillReveal(reveal, banned)).toMatch(
      /^Served after the ban: 2, .* Only the \d+ refreshes asked the store\.$/,
    );
  });

  it('the node left out of the rotation answers 401 to the new tokens and sends users back to log in', () => {
    const sim = simAt('Rotate the key, but not on Server 3');
    expect(sim.snapshot().nodes.map((n) => n.keyIds)).toEqual([['k1', 'k2'], ['k1', 'k2'], ['k1']]);
    expect(sim.metrics().byStatus[401]).toBeGreaterThan(0);
    expect(sim.metrics().relogins).toBeGreaterThan(0);
  });

  it('the lazy node accepts a forged role: admin, the others refuse it: forgeriesAccepted 1', () => {
    const sim = simAt('A lazy node');
    expect(sim.metrics().forgeriesAccepted).toBe(0);
    const login = sim.send({
      method: 'POST',
      path: '/api/login',
      headers: { 'content-type': 'application/json' },
      body: { user: 'mallory' },
    });
    const token = (login.body as { token: string }).token;
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = { ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'admin' };
    const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    // Round robin, not sticky: three requests in a row visit the three nodes.
    const answers = [0, 1, 2].map(() =>
      sim.send({ method: 'GET', path: '/api/admin', headers: { authorization: `Bearer ${forged}` } }),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401, 401]);
    expect(answers.find((a) => a.status === 200)!.body).toMatchObject({ admin: true, servedBy: 'server-2' });
    expect(sim.metrics().forgeriesAccepted).toBe(1);
  });
});
