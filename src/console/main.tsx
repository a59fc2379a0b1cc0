import { render } from 'preact';
import { App } from './app.tsx';
import './styles.css';

// The console's entry point. A failure nothing else caught is reported on the page, never as a
// blank one.

function report(error: unknown) {
  const banner = document.getElementById('failure') ?? document.body.appendChild(Object.assign(document.createElement('p'), { id: 'failure', className: 'alert' }));
  banner.setAttribute('role', 'alert');
  banner.textContent = `Something went wrong: ${error instanceof Error ? error.message : String(error)}. Reload the page to start again.`;
}

addEventListener('error', (event) => report(event.error ?? event.message));
addEventListener('unhandledrejection', (event) => report(event.reason));

const root = document.getElementById('app');
try {
  if (root === null) throw new Error('the page has no #app element');
  root.textContent = '';
  render(<App />, root);
} catch (error) {
  report(error);
}
