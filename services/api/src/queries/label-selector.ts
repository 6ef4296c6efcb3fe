import { InvalidQuery } from '../errors';

export type LabelSelector = Readonly<Record<string, string>>;

/**
 * Parses an equality selector such as "env=prod, site=lab-2" (comma = AND;
 * "==" is accepted for "="). Empty text selects everything. Set-based and
 * inequality terms are refused rather than misread as equality.
 */
export function parseLabelSelector(text: string, field = 'label_selector'): LabelSelector {
  const selector: Record<string, string> = {};
  if (text.trim() === '') return selector;
  for (const raw of text.split(',')) {
    const term = raw.trim();
    const match = /^([^=!\s()]+)\s*==?\s*([^=!\s()]*)$/.exec(term);
    if (!match) throw new InvalidQuery(field, `'${term}' is not key=value (only equality terms joined by ',' are supported)`);
    const [, key, value] = match;
    if (Object.prototype.hasOwnProperty.call(selector, key) && selector[key] !== value) {
      throw new InvalidQuery(field, `label '${key}' cannot equal both '${selector[key]}' and '${value}'`);
    }
    selector[key] = value;
  }
  return selector;
}
