/**
 * The narrator: which lesson and step, what to predict, Back / Next, and the way out to free play.
 * The step's text itself is the first line of the page's caption (Caption.tsx).
 */
import { findLesson } from '../../lessons/lessons';
import { lookOf, lookTargetId } from '../../lessons/lookAt';
import { fillReveal } from '../../lessons/replay';
import type { LessonRunner } from '../../lessons/runner';
import { useSim, useSimulationStore } from '../../state/SimulationProvider';
import { useUi } from '../../state/uiStore';

const RING = '#cc79a7';

/** A ring around what to look at; a Compare summary column is ringed as one box over its cells. */
function ringStyle(look: string): string {
  const at = `[data-look-id="${look}"]`;
  if (!look.startsWith('summary:'))
    return `${at} { outline: 0.3rem solid ${RING}; outline-offset: 0.15rem; border-radius: 0.4rem; }`;
  const side = `inset 0.25rem 0 0 ${RING}, inset -0.25rem 0 0 ${RING}`;
  return `${at} { box-shadow: ${side}; }
th${at} { box-shadow: ${side}, inset 0 0.25rem 0 ${RING}; }
tr:last-child > td${at} { box-shadow: ${side}, inset 0 -0.25rem 0 ${RING}; }`;
}

export function LessonBar({ lessons }: { lessons: LessonRunner }) {
  const position = useUi((s) => s.lesson);
  const store = useSimulationStore();
  // Re-render with the published numbers so a revealed answer stays current.
  useSim((s) => s.clusters);
  const compare = useSim((s) => s.scenario.mode === 'compare');
  if (position === null) return null;
  const lesson = findLesson(position.id);
  const step = lesson?.steps[position.step];
  if (lesson === undefined || step === undefined) return null;
  const sims = store.running;
  const answerSim = sims.get('stateful') ?? sims.get('stateless');
  const last = position.step === lesson.steps.length - 1;
  const look = lookTargetId(lookOf(step, position.revealed), compare);
  return (
    <section className="lesson-bar" role="region" aria-label="Lesson">
      {/* What to look at: a ring around it on the stage or in the metrics (see data-look-id). */}
      {look !== null && <style>{ringStyle(look)}</style>}
      <div className="lesson-where">
        <span className="lesson-step" title={lesson.title}>
          Step {position.step + 1} of {lesson.steps.length}: <strong>{step.title}</strong>
        </span>
      </div>
      {step.predict !== undefined && (
        <p className="lesson-predict" aria-live="polite">
          {position.revealed && answerSim !== undefined ? (
            <>
              <span aria-hidden="true">✔ </span>
              {fillReveal(step.predict.reveal, answerSim)}
            </>
          ) : (
            <>
              <span aria-hidden="true">? </span>Predict: {step.predict.question}
            </>
          )}
        </p>
      )}
      <div className="lesson-buttons">
        <button type="button" onClick={lessons.back} disabled={position.step === 0}>
          Back
        </button>
        {!position.revealed ? (
          <button type="button" className="lesson-next" onClick={lessons.reveal}>
            Reveal
          </button>
        ) : (
          <button type="button" className="lesson-next" onClick={last ? lessons.exit : lessons.next}>
            {last ? 'Finish' : 'Next'}
          </button>
        )}
        <button type="button" onClick={lessons.exit}>
          Free play
        </button>
      </div>
    </section>
  );
}
