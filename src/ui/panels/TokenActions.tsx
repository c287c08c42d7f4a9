/**
 * Live token actions for the stateless cluster (issue 10, "Tokens, honestly"), in the Settings
 * panel: rotate the signing key on every node, or on all but the last (which then answers 401 to
 * the new tokens), and ban a user. These are engine commands at the current simulated time, through
 * the store's apply() so the timeline records them; they do not restart the run.
 */
import { useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useSim } from '../../state/SimulationProvider';
import { nodeLabel } from '../../state/labels';
import type { SimulationActions, SimulationState } from '../../state/simulationStore';
import './tokenActions.css';

const selectStatelessNodes = (s: SimulationState): string[] =>
  s.clusters.find((c) => c.key === 'stateless')?.snapshot.nodes.map((n) => n.id) ?? [];
const selectApply = (s: SimulationActions) => s.apply;
const USER = /^[A-Za-z0-9_.@-]{1,40}$/;

export function TokenActions() {
  const id = useId();
  const nodeIds = useSim(useShallow(selectStatelessNodes));
  const apply = useSim(selectApply);
  const [user, setUser] = useState('c1');
  if (nodeIds.length === 0) return null;
  const last = nodeIds[nodeIds.length - 1]!;
  const valid = USER.test(user);
  return (
    <fieldset className="token-actions">
      <legend>Tokens (now, no restart)</legend>
      <div className="settings-row">
        <button
          type="button"
          title="A new signing key (kid) on every node; each still accepts the key it signed with before"
          onClick={() => apply({ type: 'rotateKey' }, 'stateless')}
        >
          Rotate key
        </button>
        {nodeIds.length > 1 && (
          <button
            type="button"
            title={`Rotate on every node but ${nodeLabel(last)}, which keeps only its old keys`}
            onClick={() => apply({ type: 'rotateKey', nodes: nodeIds.slice(0, -1) }, 'stateless')}
          >
            Rotate key, not on {nodeLabel(last)}
          </button>
        )}
      </div>
      <div className="settings-row">
        <div className="field">
          <label htmlFor={`${id}-ban`}>User to ban</label>
          <input
            id={`${id}-ban`}
            type="text"
            value={user}
            size={8}
            spellCheck={false}
            aria-invalid={!valid}
            onChange={(event) => setUser(event.currentTarget.value)}
          />
        </div>
        <button
          type="button"
          disabled={!valid}
          title="No new login or token for this user; tokens already issued work until they expire (unless there is a deny-list)"
          onClick={() => apply({ type: 'banUser', user }, 'stateless')}
        >
          Ban user
        </button>
      </div>
    </fieldset>
  );
}
