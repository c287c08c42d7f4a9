/**
 * What the hovered or focused user sends with each request: the session cookie, or the JWT decoded,
 * with the request's measured size in bytes (from the engine's request.sent events).
 */
import { decodeToken } from '../../engine';
import { useSim } from '../../state/SimulationProvider';
import type { ClusterKey } from '../../state/simulationStore';
import type { StageFeed } from './stageFeed';
import { selectCluster } from './selectCluster';

/** The header as the client sends it: a bearer token (decoded for the room) or the cookie. */
function credentialText(header: string | null): { kind: string; value: string; claims: string | null } | null {
  if (header === null) return null;
  const bearer = /^authorization:\s*Bearer\s+(\S+)/i.exec(header)?.[1];
  if (bearer !== undefined) {
    const decoded = decodeToken(bearer);
    const claims = decoded === null ? null : JSON.stringify(decoded.payload);
    return { kind: 'Token (JWT)', value: `${bearer.slice(0, 28)}…`, claims };
  }
  return { kind: 'Session cookie', value: header, claims: null };
}

export function CredentialCard({
  cluster,
  clientId,
  feed,
}: {
  cluster: ClusterKey;
  clientId: string;
  feed: StageFeed;
}) {
  // Re-read at the publish rate while shown, so the size follows the latest request.
  const client = useSim((s) => selectCluster(s, cluster)?.snapshot.clients.find((c) => c.id === clientId));
  useSim((s) => selectCluster(s, cluster)?.snapshot.time);
  const rect = feed.anchors.get(`client:${clientId}`);
  if (client === undefined) return null;
  const last = feed.tracker.lastRequest.get(clientId);
  const detail = credentialText(client.credentialHeader);
  const kind =
    client.credential === 'token'
      ? 'Token (JWT)'
      : client.credential === 'cookie'
        ? 'Session cookie'
        : 'No credential yet';
  const style =
    rect === undefined ? undefined : { top: `${rect.y + rect.height}px`, left: `${rect.x + rect.width * 0.25}px` };
  return (
    <div className="credential-card" role="tooltip" id={`credential-${cluster}`} style={style}>
      <strong>{client.name}</strong> sends: {detail?.kind ?? kind}
      {detail !== null && <code className="credential-value">{detail.value}</code>}
      {detail !== null && detail.claims !== null && <code className="credential-value">{detail.claims}</code>}
      {client.credentialHeader !== null && (
        <span className="credential-size">{client.credentialHeader.length} bytes of credential on every request</span>
      )}
      {last !== undefined && <span>Last request: {last.sizeBytes} bytes in all</span>}
    </div>
  );
}
