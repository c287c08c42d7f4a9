/** Placeholder page until the stage lands (issue 3). */
export function App() {
  return (
    <main>
      <h1>Stateless vs Stateful</h1>
      <p>A live cluster simulator for the classroom.</p>
    </main>
  );
}
