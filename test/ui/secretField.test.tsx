// @vitest-environment jsdom
/**
 * Settings → "JWT secret": the teacher can change the HS256 secret; a secret under 256 bits
 * (RFC 7518 §3.2) is refused with a notice and the run keeps the secret it had.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { createHmac } from 'node:crypto';
import { DEFAULT_CONFIG } from '../../src/engine';
import { SimulationProvider } from '../../src/state/SimulationProvider';
import { createSimulationStore, getSimulation } from '../../src/state/simulationStore';
import { formatScenarioHash } from '../../src/state/scenario';
import { SettingsMenu } from '../../src/ui/panels/SettingsMenu';

afterEach(cleanup);

function renderSettings() {
  const store = createSimulationStore({ mode: 'stateless', seed: 7, clients: 1 });
  store.getState().setPlaying(false);
  render(
    <SimulationProvider store={store}>
      <SettingsMenu />
    </SimulationProvider>,
  );
  fireEvent.click(screen.getByText('Settings'));
  return { store, field: screen.getByRole('textbox', { name: 'JWT secret' }) as HTMLInputElement };
}

const sim = (store: ReturnType<typeof renderSettings>['store']) => getSimulation(store, 'stateless')!;

describe('the JWT secret in Settings', () => {
  it('shows the demo secret, and a new one of 32 bytes or more signs the next run’s tokens', () => {
    const { store, field } = renderSettings();
    expect(field.value).toBe(DEFAULT_CONFIG.jwtSecret);
    const secret = 'our-own-classroom-secret-for-today-2026';
    fireEvent.change(field, { target: { value: secret } });
    fireEvent.blur(field);
    expect(store.getState().scenario.secret).toBe(secret);
    const cluster = sim(store);
    expect(cluster.config.jwtSecret).toBe(secret);
    const login = cluster.send({ method: 'POST', path: '/api/login', headers: {}, body: { user: 'you' } });
    const token = (login.body as { token: string }).token;
    // HS256 under the new secret (jose checks engine tokens in test/engine/jwt.test.ts; jsdom's
    // Uint8Array is not the one jose's WebCrypto takes).
    const [header, payload, signature] = token.split('.');
    expect(signature).toBe(createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url'));
    // A secret stays out of the shareable link.
    expect(formatScenarioHash(store.getState().scenario)).not.toContain('secret');
  });

  it('refuses a secret under 32 bytes with a notice, and keeps the run', () => {
    const { store, field } = renderSettings();
    const before = sim(store);
    fireEvent.change(field, { target: { value: 'secret123' } });
    fireEvent.keyDown(field, { key: 'Enter' });
    fireEvent.blur(field);
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toMatch(/at least 32 bytes .*this one is 9 bytes/);
    expect(store.getState().scenario.secret).toBeUndefined();
    expect(sim(store)).toBe(before);
  });
});
