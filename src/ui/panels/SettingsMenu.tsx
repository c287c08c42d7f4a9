/**
 * The secondary settings in a disclosure, so the top bar stays one calm row on a projector.
 * Changing any of them restarts the run from 0 s (a new scenario); the panel says so. Linking
 * failures across the Compare clusters lives in the compare summary (ui/teach/CompareSummary).
 */
import { useId, useRef, useState } from 'react';
import { useDisclosureMenu } from './useDisclosureMenu';
import { DEFAULT_CONFIG, jwtSecretProblem, type BalancerPreset, type BalancerStrategy } from '../../engine';
import { useSim } from '../../state/SimulationProvider';
import { PAGE_CLIENT_LIMIT, PAGE_NODE_LIMIT, type Scenario } from '../../state/scenario';
import type { SimulationActions, SimulationState } from '../../state/simulationStore';
import { NumberField } from './NumberField';
import { TokenActions } from './TokenActions';

const selectScenario = (s: SimulationState) => s.scenario;
const selectSetScenario = (s: SimulationActions) => s.setScenario;
const selectAddNotice = (s: SimulationActions) => s.addNotice;

const BALANCERS: readonly { value: BalancerStrategy; label: string }[] = [
  { value: 'round-robin', label: 'Round robin' },
  { value: 'least-connections', label: 'Least connections' },
  { value: 'random', label: 'Random' },
];

/** Whose defaults the balancer follows when a node dies (README, "Balancer presets"). */
const PRESETS: readonly { value: BalancerPreset; label: string; hint: string }[] = [
  { value: 'haproxy', label: 'HAProxy', hint: 'Checks every 2 s; 3 failed checks take a node out' },
  { value: 'nginx', label: 'NGINX', hint: 'No checks: 1 failed request takes a node out for 10 s' },
  { value: 'envoy', label: 'Envoy', hint: '5 errors in a row eject a node for 30 s; no retries' },
];

/** Where sessions live; replicated sessions come in two kinds, one option each (`store` + `replication`). */
const STORES: readonly { value: string; label: string; change: Pick<Scenario, 'store'> & Partial<Scenario> }[] = [
  { value: 'memory', label: 'In each node’s memory', change: { store: 'memory' } },
  { value: 'shared', label: 'Shared store (Redis-like)', change: { store: 'shared' } },
  { value: 'replicated-all', label: 'Replicated (all)', change: { store: 'replicated', replication: 'all' } },
  { value: 'replicated-backup', label: 'Replicated (backup)', change: { store: 'replicated', replication: 'backup' } },
];

const storeOption = (scenario: Scenario): string =>
  scenario.store === 'replicated' ? `replicated-${scenario.replication}` : scenario.store;

const SEED_LIMIT = 2 ** 31 - 1;

/**
 * The HS256 secret that signs stateless mode's tokens. Committed on Enter or when the field is left,
 * and only when it is long enough (RFC 7518 §3.2: at least 256 bits); a shorter one stays in the
 * field, marked invalid with the reason, and the run keeps the secret it had.
 */
function SecretField({ value, onCommit }: { value: string; onCommit(secret: string): void }) {
  const id = useId();
  const [draft, setDraft] = useState(value);
  const [shown, setShown] = useState(value);
  // Follows the scenario when it changes from outside (Reset, a lesson), as NumberField does.
  if (shown !== value) {
    setShown(value);
    setDraft(value);
  }
  const problem = jwtSecretProblem(draft);
  const commit = (): void => {
    if (problem === null && draft !== value) onCommit(draft);
  };
  return (
    <div className="field">
      <label htmlFor={id}>JWT secret</label>
      <input
        id={id}
        type="text"
        spellCheck={false}
        autoComplete="off"
        maxLength={256}
        value={draft}
        aria-invalid={problem !== null}
        aria-describedby={`${id}-hint`}
        onChange={(event) => setDraft(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commit();
        }}
        onBlur={commit}
      />
      <span id={`${id}-hint`} className="field-hint" role={problem !== null ? 'alert' : undefined}>
        {problem !== null
          ? `Too short: the secret ${problem}`
          : 'Signs stateless mode’s tokens (HS256, at least 32 bytes)'}
      </span>
    </div>
  );
}

export function SettingsMenu() {
  const scenario = useSim(selectScenario);
  const setScenario = useSim(selectSetScenario);
  const addNotice = useSim(selectAddNotice);
  const details = useRef<HTMLDetailsElement>(null);
  const menu = useDisclosureMenu(details);
  const id = useId();
  const set = (change: Partial<Scenario>): void => setScenario(change);
  const stateless = scenario.mode === 'stateless';

  return (
    <details className="settings" ref={details} onKeyDown={menu.onKeyDown} onToggle={menu.onToggle}>
      <summary>
        <span aria-hidden="true" className="icon">
          ⚙
        </span>
        Settings
      </summary>
      <div className="settings-panel">
        <p className="settings-note">Changes here restart the run.</p>
        <div className="field">
          <label htmlFor={`${id}-store`}>Session store</label>
          <select
            id={`${id}-store`}
            value={storeOption(scenario)}
            disabled={stateless}
            onChange={(event) => {
              const chosen = STORES.find((s) => s.value === event.currentTarget.value);
              if (chosen !== undefined) set(chosen.change);
            }}
          >
            {STORES.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
          {stateless && <span className="field-hint">Only stateful mode keeps sessions</span>}
        </div>
        <div className="field field-check">
          <input
            id={`${id}-sticky`}
            type="checkbox"
            checked={scenario.sticky}
            onChange={(event) => set({ sticky: event.currentTarget.checked })}
          />
          <label htmlFor={`${id}-sticky`}>Sticky sessions</label>
        </div>
        <div className="field field-check">
          <input
            id={`${id}-deny`}
            type="checkbox"
            checked={scenario.deny}
            disabled={scenario.mode === 'stateful'}
            aria-describedby={`${id}-deny-hint`}
            onChange={(event) => set({ deny: event.currentTarget.checked })}
          />
          <label htmlFor={`${id}-deny`}>Token deny-list</label>
        </div>
        <span id={`${id}-deny-hint`} className="field-hint field-hint-under">
          {scenario.mode === 'stateful'
            ? 'Only stateless mode has tokens to revoke'
            : 'Logout revokes the token: every request checks a shared store'}
        </span>
        <div className="field field-check">
          <input
            id={`${id}-refresh`}
            type="checkbox"
            checked={scenario.refresh}
            disabled={scenario.mode === 'stateful'}
            aria-describedby={`${id}-refresh-hint`}
            onChange={(event) => set({ refresh: event.currentTarget.checked })}
          />
          <label htmlFor={`${id}-refresh`}>Refresh tokens</label>
        </div>
        <span id={`${id}-refresh-hint`} className="field-hint field-hint-under">
          {scenario.mode === 'stateful'
            ? 'Only stateless mode has tokens to refresh'
            : '15 s access tokens; a ban bites at the next refresh'}
        </span>
        <div className="field field-check">
          <input
            id={`${id}-idem`}
            type="checkbox"
            checked={scenario.idem}
            aria-describedby={`${id}-idem-hint`}
            onChange={(event) => set({ idem: event.currentTarget.checked })}
          />
          <label htmlFor={`${id}-idem`}>Idempotency keys</label>
        </div>
        <span id={`${id}-idem-hint`} className="field-hint field-hint-under">
          A retried checkout never places a second order
        </span>
        <div className="field">
          <label htmlFor={`${id}-lb`}>Balancer</label>
          <select
            id={`${id}-lb`}
            value={scenario.lb}
            onChange={(event) => set({ lb: event.currentTarget.value as BalancerStrategy })}
          >
            {BALANCERS.map((b) => (
              <option key={b.value} value={b.value}>
                {b.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-preset`}>Balancer preset</label>
          <select
            id={`${id}-preset`}
            value={scenario.preset}
            aria-describedby={`${id}-preset-hint`}
            onChange={(event) => set({ preset: event.currentTarget.value as BalancerPreset })}
          >
            {PRESETS.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
        </div>
        <span id={`${id}-preset-hint`} className="field-hint field-hint-under">
          {PRESETS.find((p) => p.value === scenario.preset)?.hint}
        </span>
        <div className="settings-row">
          <NumberField
            label="Nodes at start"
            value={scenario.nodes}
            min={1}
            max={PAGE_NODE_LIMIT}
            onCommit={(nodes) => set({ nodes })}
            onClamp={(typed, used) =>
              addNotice(`Nodes at start ${typed} is out of range; using ${used} (1 to ${PAGE_NODE_LIMIT}).`)
            }
          />
          <NumberField
            label="Clients"
            value={scenario.clients}
            min={1}
            max={PAGE_CLIENT_LIMIT}
            onCommit={(clients) => set({ clients })}
            onClamp={(typed, used) =>
              addNotice(`Clients ${typed} is out of range; using ${used} (1 to ${PAGE_CLIENT_LIMIT}).`)
            }
          />
        </div>
        <SecretField value={scenario.secret ?? DEFAULT_CONFIG.jwtSecret} onCommit={(secret) => set({ secret })} />
        <TokenActions />
        <div className="settings-row seed-row">
          <NumberField
            label="Seed"
            value={scenario.seed}
            min={0}
            max={SEED_LIMIT}
            onCommit={(seed) => set({ seed })}
            hint="Same seed, same run"
            onClamp={(typed, used) =>
              addNotice(
                `Seed ${typed.length > 20 ? `${typed.slice(0, 20)}…` : typed} is out of range; using ${used} (0 to ${SEED_LIMIT}).`,
              )
            }
          />
          {/* The page may use Math.random: only the engine must be deterministic, and it gets the seed. */}
          <button type="button" onClick={() => set({ seed: Math.floor(Math.random() * 100_000) })}>
            New seed
          </button>
        </div>
      </div>
    </details>
  );
}
