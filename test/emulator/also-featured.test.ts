import { describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/emulator/dataset.js';
import { DEFAULT_DATASET } from '../../src/emulator/seed.js';

// Issue 15: the demo data gives the persons a demo names (the sandbox's Slack users) identified sessions with
// recordings, not only the one featured person; without the option the data is exactly as before.
const NOW = new Date('2026-12-01T00:00:00Z');
const base = { ...DEFAULT_DATASET, now: NOW };

describe('alsoFeatured persons in the demo dataset', () => {
  it('gives each of them identified, recorded sessions', () => {
    const also = [
      { email: 'max@acme.com', name: 'Max Member' },
      { email: 'gina@acme.com', name: 'Gina G' },
    ];
    const data = generateDataset({ ...base, alsoFeatured: also });
    for (const who of ['ana@acme.com', ...also.map((a) => a.email)]) {
      const person = data.persons.find((p) => p.properties.email === who);
      expect(person, who).toBeDefined();
      expect(person!.isIdentified, who).toBe(true);
      const recorded = data.sessions.filter((s) => s.personId === person!.id && s.hasRecording);
      expect(recorded.length, who).toBeGreaterThanOrEqual(3);
    }
  });

  it('leaves the data unchanged when absent', () => {
    const a = generateDataset(base);
    const b = generateDataset({ ...base, alsoFeatured: [] });
    expect(b.events.length).toBe(a.events.length);
    expect(b.persons.map((p) => p.id)).toEqual(a.persons.map((p) => p.id));
    expect(b.sessions.map((s) => s.id)).toEqual(a.sessions.map((s) => s.id));
  });
});
