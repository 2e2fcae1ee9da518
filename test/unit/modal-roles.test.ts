import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../../src/registry/load.js';
import { QUERY_MODAL_CALLBACK } from '../../views/query.js';

// Forms whose submit only reads. Every other form proposes or makes a change, and src/slack/modals.ts checks its role.
const READ_ONLY_FORMS = new Set([QUERY_MODAL_CALLBACK]);

describe('modal roles', () => {
  it('every form that proposes a write declares the role its submission needs', async () => {
    const registry = await loadRegistry();
    const forms = [...registry.modals.values()];
    expect(forms.length).toBeGreaterThan(READ_ONLY_FORMS.size);
    const undeclared = forms.filter((m) => !READ_ONLY_FORMS.has(m.callbackId) && m.role === undefined).map((m) => m.callbackId);
    expect(undeclared).toEqual([]);
    for (const form of forms.filter((m) => !READ_ONLY_FORMS.has(m.callbackId))) expect(form.role).not.toBe('reader');
  });
});
