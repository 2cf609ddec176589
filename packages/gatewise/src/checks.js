// The catalogs' messages and the live checks' rules ("is it me or the site?"), from the core.
import { core } from './loader.js';
import { bounded, withLang } from './core.js';

/** Every catalog message whose key starts with `prefix` (e.g. `'checks.'`), in one language. */
export function messages(prefix, options) {
  return core().messages(bounded(prefix, 128), withLang(options));
}

/** The CLDR plural category (`one`, `few`, …) of `count` in a language: what picks a plural message's text. */
export function pluralCategory(count, options) {
  return core().pluralCategory(bounded(String(count), 64), withLang(options));
}

/** The live checks' verdict table, reload schedule and limits, as data. */
export function checksModel() {
  return core().checksModel();
}

/** What the live checks' outcomes mean, with the verdict's texts. */
export function checksVerdict(results, options) {
  return core().checksVerdict(results, withLang(options));
}
