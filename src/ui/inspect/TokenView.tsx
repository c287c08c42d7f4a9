/** One JWT, taken apart: header, payload, signature, and whether it verifies (and if not, why). */
import type { TokenReport } from './tokenTools';

function claimTime(seconds: unknown): string | null {
  return typeof seconds === 'number'
    ? new Date(seconds * 1000).toISOString().replace('T', ' ').replace('.000Z', ' UTC')
    : null;
}

export function TokenView({ report }: { report: TokenReport }) {
  const { decoded, verdict } = report;
  const title = report.origin === 'request' ? 'Token sent (Authorization: Bearer)' : 'Token issued in the answer';
  return (
    <section className="token-view" aria-label={title}>
      <h4>
        {title} · {report.token.length} bytes
      </h4>
      <p className="token-verdict" data-ok={verdict.ok ? '' : undefined}>
        {verdict.ok
          ? 'Signature verifies with the cluster’s secret; not expired.'
          : `Does not verify: ${verdict.reason}`}
      </p>
      {decoded === null ? (
        <p>Not a readable JWT (three base64url JSON parts).</p>
      ) : (
        <>
          <h5>Header</h5>
          <pre>{JSON.stringify(decoded.header, null, 2)}</pre>
          <h5>Payload</h5>
          <pre>{JSON.stringify(decoded.payload, null, 2)}</pre>
          <p className="inspect-note">
            iat {claimTime(decoded.payload.iat) ?? '—'} · exp {claimTime(decoded.payload.exp) ?? '—'}. Anyone can read
            this part: it is encoded, not encrypted.
          </p>
          <h5>Signature (HMAC-SHA256 of header.payload)</h5>
          <pre className="token-signature">{decoded.signature === '' ? '(empty)' : decoded.signature}</pre>
        </>
      )}
    </section>
  );
}
