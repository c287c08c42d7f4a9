import './caption.css';
import { findLesson } from '../../lessons/lessons';
import { useSim } from '../../state/SimulationProvider';
import { useUi } from '../../state/uiStore';

/**
 * The caption under the stage, large enough for the back row. Outside a lesson: one line, what just
 * happened. During a lesson step: the step's text stays the first line for as long as the step is
 * shown, and what just happened goes to a second, smaller line. The store's caption is only ever
 * the event line; the step's text comes from the lesson position.
 */
export function Caption() {
  const caption = useSim((s) => s.caption);
  const stepText = useUi((s) =>
    s.lesson === null ? null : (findLesson(s.lesson.id)?.steps[s.lesson.step]?.caption ?? null),
  );
  if (stepText === null) {
    return (
      <p className="caption" aria-live="polite">
        {caption ?? 'Click a server to make it fail.'}
      </p>
    );
  }
  return (
    <div className="caption caption-lesson" role="group" aria-label="Caption">
      <p className="caption-step" aria-live="polite">
        {stepText}
      </p>
      <p className="caption-event" aria-live="polite">
        {caption ?? '\u00a0'}
      </p>
    </div>
  );
}
