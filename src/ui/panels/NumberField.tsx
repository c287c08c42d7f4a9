/**
 * A labelled whole-number input that commits only valid values. While the text is not a valid
 * number (half typed, empty) it stays local and is marked invalid; the scenario is untouched, so a
 * stray keystroke never rebuilds the cluster with nonsense. A whole number out of range is clamped
 * to the nearest limit when the field is left or Enter is pressed (contract §6), and `onClamp`
 * says so; anything else returns to the current value.
 */
import { useId, useState } from 'react';

interface NumberFieldProps {
  label: string;
  value: number;
  min: number;
  max: number;
  onCommit(value: number): void;
  /** Told when a typed number was out of range and the nearest limit was used instead. */
  onClamp?(typed: string, used: number): void;
  hint?: string;
}

export function NumberField({ label, value, min, max, onCommit, onClamp, hint }: NumberFieldProps) {
  const id = useId();
  const [draft, setDraft] = useState(String(value));
  const [shown, setShown] = useState(value);
  // The scenario can change from outside (the hash, Reset): follow it, as React's docs suggest for
  // state derived from a prop, without an effect.
  if (shown !== value) {
    setShown(value);
    setDraft(String(value));
  }
  const parsed = /^\d+$/.test(draft.trim()) ? Number(draft) : NaN;
  const valid = parsed >= min && parsed <= max;
  const settle = (): void => {
    if (valid) return;
    if (Number.isFinite(parsed)) {
      const used = Math.min(max, Math.max(min, parsed));
      setDraft(String(used));
      if (used !== value) onCommit(used);
      onClamp?.(draft.trim(), used);
    } else {
      setDraft(String(value));
    }
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={min}
        max={max}
        step={1}
        value={draft}
        aria-invalid={!valid}
        aria-describedby={`${id}-hint`}
        onChange={(event) => {
          const text = event.currentTarget.value;
          setDraft(text);
          const next = Number(text);
          if (/^\d+$/.test(text.trim()) && next >= min && next <= max && next !== value) onCommit(next);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') settle();
        }}
        onBlur={settle}
      />
      {/* The range is in the hint only when it is needed, to keep the menu short on a projector. */}
      <span id={`${id}-hint`} className={valid ? 'visually-hidden' : 'field-hint'}>
        {valid ? (hint ?? `${min} to ${max}`) : `Enter ${min} to ${max}`}
      </span>
    </div>
  );
}
