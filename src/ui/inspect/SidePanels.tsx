/** Placeholder: the inspector helper replaces this. */
export function SidePanels() {
  return null;
}
