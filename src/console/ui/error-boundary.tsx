import { Component, type ComponentChildren } from 'preact';
import { errorMessage } from './error-message.ts';

// A view that throws while rendering shows what went wrong in its own place, with a way to try
// again; the rest of the page keeps working.

interface ErrorBoundaryProps {
  label: string;
  children: ComponentChildren;
}

export class ErrorBoundary extends Component<ErrorBoundaryProps, { error: unknown }> {
  override state = { error: undefined as unknown };

  override componentDidCatch(error: unknown) {
    this.setState({ error });
  }

  override render() {
    if (this.state.error === undefined) return this.props.children;
    return (
      <div class="alert" role="alert">
        <p>
          {this.props.label} failed: {errorMessage(this.state.error)}
        </p>
        <button type="button" onClick={() => this.setState({ error: undefined })}>
          Try again
        </button>
      </div>
    );
  }
}
