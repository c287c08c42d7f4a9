/**
 * Keeps the page alive when a component throws: a message and a Reset that rebuilds the simulation
 * and renders the children again, instead of React unmounting everything into a blank projector.
 */
import './panels.css';
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface ErrorBoundaryProps {
  children: ReactNode;
  /** Rebuilds the state the children render from (the simulation store's reset). */
  onReset(): void;
}

interface ErrorBoundaryState {
  error: Error | null;
}

export class ErrorBoundary extends Component<ErrorBoundaryProps, ErrorBoundaryState> {
  override state: ErrorBoundaryState = { error: null };

  static getDerivedStateFromError(error: unknown): ErrorBoundaryState {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    // Left in the console for whoever debugs it; the room sees the calm message below.
    console.warn('The page caught an error and kept running:', error, info.componentStack);
  }

  private readonly reset = (): void => {
    try {
      this.props.onReset();
    } finally {
      this.setState({ error: null });
    }
  };

  override render(): ReactNode {
    const { error } = this.state;
    if (error === null) return this.props.children;
    return (
      <div className="error-boundary" role="alert">
        <h1>Stateless vs Stateful</h1>
        <h2>Something went wrong in the page</h2>
        <p>
          The simulation stopped drawing: <code>{error.message}</code>
        </p>
        <p>Reset starts the same scenario again from 0 s.</p>
        <button type="button" className="primary" onClick={this.reset} autoFocus>
          Reset
        </button>
      </div>
    );
  }
}
