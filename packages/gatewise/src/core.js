// Small shared helpers: the language default, the core's input limits, the languages.
import { core } from './loader.js';

let cachedLimits;

/** How much of each input the core reads; the wrappers pass no more. */
export function limits() {
  cachedLimits ??= Object.freeze(core().limits());
  return cachedLimits;
}

/** The languages the core's catalogs speak, English first. */
export function languages() {
  return core().languages();
}

/**
 * `options` with a language: the one given, else the browser's preferences
 * (`navigator.languages`), else none (the core writes English).
 */
export function withLang(options) {
  const o = options ?? {};
  if (o.lang != null) return o;
  const nav = globalThis.navigator;
  const prefs = nav?.languages?.length ? [...nav.languages] : nav?.language ? [nav.language] : null;
  return prefs ? { ...o, lang: prefs } : o;
}

/** At most `max` characters of `text` (the core reads bytes; this only bounds the copy). */
export function bounded(text, max) {
  const s = typeof text === 'string' ? text : String(text ?? '');
  return s.length > max ? s.slice(0, max) : s;
}
