/**
 * What the person and recording views show about a person, derived here so views/ stay pure functions of their model:
 * PostHog's display label, the email, the distinct id its pages are addressed by, and that id quoted as a command argument.
 */
import type { PersonEntry } from '../../views/persons.js';
import { quoteArg } from '../lookups/named.js';
import { type Person, personEmail, personLabel, primaryDistinctId, type Recording } from './schemas.js';

export function personEntry(person: Person): PersonEntry {
  const distinctId = primaryDistinctId(person);
  return { person, label: personLabel(person), email: personEmail(person), distinctId, arg: quoteArg(distinctId) };
}

/** Who a recording is of: the label of its embedded person, else its distinct id; and that id as a command argument. */
export function recordingPerson(r: Recording): { name: string; arg: string | null } {
  const person = r.person;
  const name = person
    ? personLabel({ name: person.name, properties: person.properties, distinct_ids: person.distinct_ids ?? [] })
    : (r.distinct_id ?? 'Unknown person');
  const distinctId = person?.distinct_ids?.[0] ?? r.distinct_id ?? null;
  return { name, arg: distinctId ? quoteArg(distinctId) : null };
}
