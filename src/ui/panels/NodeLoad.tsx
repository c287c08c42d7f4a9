/**
 * Load per node: one row per node with its name, requests per second now (or DOWN, in words) and
 * a sparkline of the last 60 s. Rows instead of one multi-colour chart, so no colour has to be
 * told apart: the name labels each line. Sticky skew shows as one long bar and one short.
 */
import type { MetricsWindowSecond, NodeSnapshot } from '../../engine';
import { nodeLabel } from '../../state/labels';
import { nodeSeries, recentRatePerSecond, seriesMax } from './metricsSeries';
import { Sparkline } from './Sparkline';

interface NodeLoadProps {
  nodes: readonly NodeSnapshot[];
  window: readonly MetricsWindowSecond[];
}

export function NodeLoad({ nodes, window }: NodeLoadProps) {
  const series = nodes.map((node) => nodeSeries(window, node.id));
  // One scale for every row, so a busier node visibly draws a taller line.
  const max = series.reduce((m, values) => seriesMax(values, m), 1);
  return (
    <table className="node-load">
      <caption>Requests per node</caption>
      <tbody>
        {nodes.map((node, i) => {
          const rate = recentRatePerSecond(window, node.id);
          const label = nodeLabel(node.id);
          const down = node.status === 'down';
          return (
            <tr key={node.id} className={down ? 'is-down' : undefined}>
              <th scope="row">{label}</th>
              <td className="node-rate">{down ? <span className="badge-down">DOWN</span> : `${rate.toFixed(1)}/s`}</td>
              <td className="node-chart">
                <Sparkline
                  values={series[i] ?? []}
                  min={0}
                  max={max}
                  tone="tone-node"
                  label={`${label}: ${rate.toFixed(1)} requests per second${down ? ', down' : ''}`}
                />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
