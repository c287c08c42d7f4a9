/**
 * Tamper box: change the token without the secret and watch a node refuse it. The edited payload
 * keeps the ORIGINAL signature, so the HMAC no longer matches; `alg: none` drops the signature;
 * the expired token is correctly signed, so only the expiry check can refuse it.
 */
import { useState } from 'react';
import type { Simulation } from '../../engine';
import { REQUEST_ID_HEADER } from '../../api/convert';
import type { ClusterKey } from '../../state/simulationStore';
import { useInspectContext } from './InspectContext';
import { rememberMine } from './inspectStore';
import { expiredLike, withAlgNone, withEditedPayload } from './tokenTools';
import type { TokenReport } from './tokenTools';

interface TamperResult {
  label: string;
  status: number;
  reason: string | null;
  requestId: number | null;
}

export function TamperBox({ report, sim, cluster }: { report: TokenReport; sim: Simulation; cluster: ClusterKey }) {
  const { api, store } = useInspectContext();
  const [payload, setPayload] = useState(() => JSON.stringify(report.decoded?.payload ?? {}, null, 2));
  const [result, setResult] = useState<TamperResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function send(label: string, forge: () => string): Promise<void> {
    let token: string;
    try {
      token = forge();
    } catch (caught) {
      setError(`The payload is not valid JSON: ${caught instanceof Error ? caught.message : String(caught)}`);
      return;
    }
    setError(null);
    try {
      const response = await api.fetch('/api/profile', { headers: { authorization: `Bearer ${token}` } });
      const body = (await response.json().catch(() => ({}))) as { reason?: unknown };
      const id = response.headers.get(REQUEST_ID_HEADER);
      const requestId = id === null ? null : Number(id);
      setResult({
        label,
        status: response.status,
        reason: typeof body.reason === 'string' ? body.reason : null,
        requestId,
      });
      if (requestId !== null) {
        const you = store.getState().you;
        store.getState().updateYou({ mine: rememberMine(you.mine, { cluster, requestId }) });
      }
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  }

  const decoded = report.decoded;
  return (
    <section className="tamper-box" aria-label="Tamper box">
      <h4>Tamper box</h4>
      <label htmlFor="tamper-payload">Token payload (JSON) — try "role": "admin"</label>
      <textarea
        id="tamper-payload"
        value={payload}
        rows={8}
        spellCheck={false}
        onChange={(e) => setPayload(e.target.value)}
      />
      <div className="tamper-actions">
        <button
          type="button"
          onClick={() =>
            void send('Edited payload, original signature', () => withEditedPayload(report.token, payload))
          }
        >
          Send edited token
        </button>
        <button type="button" onClick={() => void send('alg: none, no signature', () => withAlgNone(report.token))}>
          Send alg: none
        </button>
        {decoded !== null && (
          <button type="button" onClick={() => void send('Correctly signed, expired', () => expiredLike(decoded, sim))}>
            Send expired token
          </button>
        )}
      </div>
      {error !== null && (
        <p className="inspect-warning" role="alert">
          {error}
        </p>
      )}
      {result !== null && (
        <div className="tamper-result" role="status">
          <p>
            {result.label}: <strong>{result.status}</strong>
            {result.reason !== null && <> — {result.reason}</>}
          </p>
          {result.requestId !== null && (
            <button type="button" onClick={() => store.getState().inspect({ cluster, requestId: result.requestId! })}>
              Inspect this request
            </button>
          )}
        </div>
      )}
    </section>
  );
}
