import { useEffect, useRef, useState } from 'preact/hooks';

// A form's problems, found all at once (its own checks) or given by the gateway (one field, or
// the whole form), and where the keyboard focus goes after a Save that found some: to the first
// field marked invalid (whose description then reads its message), or to the summary when the
// problem is the whole form's. Every report counts as a new attempt, so a second failure moves
// the focus again.

export interface FormProblem {
  /** The field's label, or undefined for a problem of the whole form (the gateway's answer). */
  label: string | undefined;
  message: string;
}

export type FormErrors<F extends string> = Partial<Record<F | 'form', string>>;

export interface FormProblems<F extends string> {
  /** Put on the <form>. */
  form: { current: HTMLFormElement | null };
  errors: FormErrors<F>;
  /** The problems in the order of the form's fields, for the summary. */
  problems: FormProblem[];
  report(errors: FormErrors<F>): void;
  clear(): void;
}

/** `labels` lists the fields in the order the form shows them. */
export function useFormProblems<F extends string>(labels: Record<F, string>): FormProblems<F> {
  const form = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<FormErrors<F>>({});
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (attempt === 0 || form.current === null) return;
    const target = form.current.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form.current.querySelector<HTMLElement>('.error-summary');
    target?.focus();
  }, [attempt]);

  const problems: FormProblem[] = (Object.keys(labels) as F[]).flatMap((field) => (errors[field] ? [{ label: labels[field], message: errors[field] }] : []));
  if (errors.form) problems.push({ label: undefined, message: errors.form });
  return {
    form,
    errors,
    problems,
    report(found) {
      setErrors(found);
      setAttempt((count) => count + 1);
    },
    clear: () => setErrors({}),
  };
}
