import { useEffect, useState } from 'react';
import { parseDraft, sameForm, serializeDraft, type ActionDraft, type ActionForm } from './action-form';

const PREFIX = 'access-monitor:response-action-draft:';

/** sessionStorage, or nothing where it is refused (private modes, sandboxed frames). */
function storage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

/** The draft kept for this editor (`new:<source>` or the rule's name), if any. */
export const loadDraft = (key: string): ActionDraft | undefined => parseDraft(storage()?.getItem(PREFIX + key) ?? null);

export const clearDraft = (key: string): void => storage()?.removeItem(PREFIX + key);

/**
 * The editor's form, kept in sessionStorage while it differs from `pristine` (the revision or new rule it started
 * from), so a reload, a closed tab restored or a stray Esc loses nothing; `base` is the revision the edits are based on.
 */
export function useActionDraft(key: string, stored: ActionDraft | undefined, pristine: ActionForm, base: number | null) {
  const [form, setForm] = useState<ActionForm>(stored?.form ?? pristine);
  const dirty = !sameForm(form, pristine);

  useEffect(() => {
    const s = storage();
    if (!s) return;
    if (dirty) s.setItem(PREFIX + key, serializeDraft({ base, form }));
    else s.removeItem(PREFIX + key);
  }, [key, form, base, dirty]);

  return { form, setForm, dirty };
}
