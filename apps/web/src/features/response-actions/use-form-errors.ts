import { useState } from 'react';
import type { SaveResponseAction } from '@access-monitor/contracts';
import { saveFailureErrors, validateForm, type ActionForm, type FormErrors } from './action-form';

/**
 * The errors the editor shows: the name's as it is typed, the rest once a save was tried, and what the server said
 * about the last save until the form changes again.
 */
export function useFormErrors(form: ActionForm, isNew: boolean) {
  const [submitted, setSubmitted] = useState(false);
  const [fromServer, setFromServer] = useState<FormErrors>({});
  // A refused save whose errors belong to no field (forbidden, server down): shown whole, until the next try.
  const [problem, setProblem] = useState<unknown>();
  const client = validateForm(form, { isNew });
  const shown: FormErrors = {
    ...(submitted ? client : isNew && form.name !== '' && client.name ? { name: client.name } : {}),
    ...fromServer,
  };

  return {
    shown,
    problem,
    /** Call on save: true when the form may be sent; otherwise focuses the first field in error. */
    attempt(formElement: HTMLElement | null): boolean {
      setSubmitted(true);
      setFromServer({});
      setProblem(undefined);
      if (Object.keys(client).length === 0) return true;
      // After the render that marks the fields.
      setTimeout(() => formElement?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return false;
    },
    /** A refused save: its errors beside the fields, or (when they belong to none) the problem whole. */
    refused(error: unknown, body: SaveResponseAction, name: string): void {
      const placed = saveFailureErrors(error, body, { isNew, name });
      setFromServer(placed ?? {});
      setProblem(placed ? undefined : error);
    },
    clearServer: () => setFromServer({}),
  };
}
