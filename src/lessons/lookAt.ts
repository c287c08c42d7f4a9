/**
 * Which element a lesson step rings (`data-look-id` on the stage, the metrics or the Compare
 * summary), for the view the step shows: Compare hides each pane's detail numbers and shows them
 * in the summary table instead; a step that asks for a prediction may ring something else until
 * its commands ran.
 */
import type { LessonStep, LookAt } from './types';

/** The numbers each Compare pane keeps (its headlines); the others are in the Compare summary. */
const COMPARE_PANE_METRICS: ReadonlySet<string> = new Set(['sessionsLost', 'failed']);
/** The numbers the Compare summary has a column for. */
const COMPARE_SUMMARY_METRICS: ReadonlySet<string> = new Set([
  'sessionsLost',
  'relogins',
  'cartItemsLost',
  'failed',
  'bytesPerRequest',
  'p95',
]);

export function lookOf(step: LessonStep, revealed: boolean): LookAt | undefined {
  return !revealed && step.predict?.lookAt !== undefined ? step.predict.lookAt : step.lookAt;
}

/** The `data-look-id` to ring, or null: nothing to ring. */
export function lookTargetId(look: LookAt | undefined, compare: boolean): string | null {
  if (look === undefined) return null;
  switch (look.kind) {
    case 'node':
      return `node:${look.node}`;
    case 'metric':
      if (compare && !COMPARE_PANE_METRICS.has(look.metric))
        return COMPARE_SUMMARY_METRICS.has(look.metric) ? `summary:${look.metric}` : null;
      return `metric:${look.metric}`;
    default:
      return look.kind;
  }
}
