/**
 * A `<details>` used as a menu (Settings, Deploy): a click anywhere else closes it, as menus do, and
 * Escape closes it and gives the focus back to its summary (native `<details>` has neither). The
 * page's keys do not see that Escape. `open` follows the element, so a menu can render its items
 * only while open (a closed menu's buttons are then no Tab stops, in any browser).
 * @example
 * const details = useRef<HTMLDetailsElement>(null);
 * const menu = useDisclosureMenu(details);
 * return <details ref={details} onKeyDown={menu.onKeyDown} onToggle={menu.onToggle}>…</details>;
 */
import { useEffect, useState, type KeyboardEvent, type RefObject, type SyntheticEvent } from 'react';

export function useDisclosureMenu(ref: RefObject<HTMLDetailsElement | null>) {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (!open) return;
    // Listening only while it is open.
    const onPointerDown = (event: PointerEvent): void => {
      if (ref.current !== null && !ref.current.contains(event.target as Node)) ref.current.open = false;
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open, ref]);
  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || ref.current?.open !== true) return;
    event.stopPropagation();
    ref.current.open = false;
    ref.current.querySelector('summary')?.focus();
  };
  const onToggle = (event: SyntheticEvent<HTMLDetailsElement>): void => setOpen(event.currentTarget.open);
  const close = (): void => {
    if (ref.current !== null) ref.current.open = false;
  };
  return { open, onKeyDown, onToggle, close };
}
