/** "Your requests": the last few sent by the You panel, each one click from the inspector. */
import { useSimulationStore } from '../../state/SimulationProvider';
import { useInspect, useInspectContext } from './InspectContext';

export function MyRequests() {
  const sims = useSimulationStore();
  const { store } = useInspectContext();
  const mine = useInspect((s) => s.you.mine);
  const selected = useInspect((s) => s.selected);
  if (mine.length === 0) return null;
  return (
    <nav className="my-requests" aria-label="Your requests">
      <h4>Your requests</h4>
      <ul>
        {mine.map((ref) => {
          const record = sims.running.get(ref.cluster)?.inspect(ref.requestId) ?? null;
          const current = selected?.cluster === ref.cluster && selected.requestId === ref.requestId;
          return (
            <li key={`${ref.cluster}-${ref.requestId}`}>
              <button
                type="button"
                aria-current={current ? 'true' : undefined}
                onClick={() => store.getState().inspect(ref)}
              >
                #{ref.requestId}{' '}
                {record === null
                  ? '(gone)'
                  : `${record.request.method} ${record.request.path} → ${record.response?.status ?? '…'}`}
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
