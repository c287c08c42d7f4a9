/**
 * The narrator: which lesson and step, what to predict, Back / Next, and the way out to free play.
 * The step's caption itself is the page's caption line.
 */
import { findLesson } from '../../lessons/lessons';
import { fillReveal } from '../../lessons/replay';
import type { LessonRunner } from '../../state/lessonRunner';
import { useSim, useSimulationStore } from '../../state/SimulationProvider';
import { useUi } from '../../state/uiStore';

export function LessonBar({ lessons }: { lessons: LessonRunner }) {
  const position = useUi((s) => s.lesson);
  const store = useSimulationStore();
  // Re-render with the published numbers so a revealed answer stays current.
  useSim((s) => s.clusters);
  if (position === null) return null;
  const lesson = findLesson(position.id);
  const step = lesson?.steps[position.step];
  if (lesson === undefined || step === undefined) return null;
  const sims = store.getState().runtime.sims;
  const answerSim = sims.get('stateful') ?? sims.get('stateless');
  const last = position.step === lesson.steps.length - 1;
  const look = step.lookAt === undefined ? null
    : step.lookAt.kind === 'node' ? `node:${step.lookAt.node}`
      : step.lookAt.kind === 'metric' ? `metric:${step.lookAt.metric}` : step.lookAt.kind;
  return (
    <section className="lesson-bar" role="region" aria-label="Lesson">
      {/* What to look at: a ring around it on the stage or in the metrics (see data-look-id). */}
      {look !== null && <style>{`[data-look-id="${look}"] { outline: 0.3rem solid #cc79a7; outline-offset: 0.15rem; border-radius: 0.4rem; }`}</style>}
      <div className="lesson-where">
        <span className="lesson-step" title={lesson.title}>Step {position.step + 1} of {lesson.steps.length}: <strong>{step.title}</strong></span>
      </div>
      {step.predict !== undefined && (
        <p className="lesson-predict" aria-live="polite">
          {position.revealed && answerSim !== undefined
            ? <><span aria-hidden="true">✔ </span>{fillReveal(step.predict.reveal, answerSim)}</>
            : <><span aria-hidden="true">? </span>Predict: {step.predict.question}</>}
        </p>
      )}
      <div className="lesson-buttons">
        <button type="button" onClick={lessons.back} disabled={position.step === 0}>Back</button>
        {!position.revealed
          ? <button type="button" className="lesson-next" onClick={lessons.reveal}>Reveal</button>
          : <button type="button" className="lesson-next" onClick={last ? lessons.exit : lessons.next}>{last ? 'Finish' : 'Next'}</button>}
        <button type="button" onClick={lessons.exit}>Free play</button>
      </div>
    </section>
  );
}
