// A failure, said where it happened and announced at once.

export function AlertText({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <p class="alert" role="alert">
      {message}
    </p>
  );
}
