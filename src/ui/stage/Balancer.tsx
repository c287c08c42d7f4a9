import { useSim } from '../../state/SimulationProvider';
import type { StageFeed } from './stageFeed';

const STRATEGY_TEXT = {
  'round-robin': 'round robin',
  'least-connections': 'least connections',
  random: 'random',
} as const;

/** The load balancer in the middle: what it does with each request. */
export function Balancer({ feed }: { feed: StageFeed }) {
  const lb = useSim((s) => s.scenario.lb);
  const sticky = useSim((s) => s.scenario.sticky);
  return (
    <div className="balancer" data-look-id="balancer" ref={feed.anchors.ref('lb')}>
      <span className="balancer-name">Load balancer</span>
      <span className="balancer-detail">{STRATEGY_TEXT[lb]}</span>
      <span className="balancer-detail">{sticky ? 'sticky routing' : 'not sticky'}</span>
    </div>
  );
}
