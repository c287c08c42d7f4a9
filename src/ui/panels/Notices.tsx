/** Placeholder: the panels helper replaces this. */
export function Notices() {
  return null;
}
