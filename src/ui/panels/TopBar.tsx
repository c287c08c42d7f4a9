/** Placeholder: the panels helper replaces this. */
export function TopBar() {
  return <header className="top-bar"><h1>Stateless vs Stateful</h1></header>;
}
