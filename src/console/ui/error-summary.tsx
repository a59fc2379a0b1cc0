import type { FormProblem } from './use-form-problems.ts';

// The form's problems in one place, read out as soon as they appear: an ARIA live region (role
// alert) that is always in the page, empty until a Save finds something, so screen readers
// announce what is put into it. Each field's own message stays beside it, tied to it.

export function ErrorSummary({ problems }: { problems: FormProblem[] }) {
  const fields = problems.filter((problem) => problem.label !== undefined).length;
  return (
    <div class="error-summary" role="alert" tabIndex={-1}>
      {problems.length > 0 && (
        <>
          {fields > 0 && <p>{fields === 1 ? 'One field needs a change:' : `${fields} fields need a change:`}</p>}
          <ul>
            {problems.map((problem, index) => (
              <li key={index}>{problem.label === undefined ? problem.message : `${problem.label}: ${problem.message}`}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
