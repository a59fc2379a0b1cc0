import type { ComponentChildren } from 'preact';

// A view's title. It takes the keyboard focus when the view is opened from the navigation
// (navigation/console-shell.tsx), so a screen reader says where the person landed.

export function ViewHeading({ id, children }: { id: string; children: ComponentChildren }) {
  return (
    <h2 id={id} tabIndex={-1} class="view-heading">
      {children}
    </h2>
  );
}
