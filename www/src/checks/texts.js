// The words of the checks: catalog messages (full keys → text) from the core, and
// numbers in the page's language. Nothing here is ever inserted as markup.

/**
 * `t(key, args)`: the message for `key` with `{name}` placeholders filled; the key if missing.
 * A plural message (`plurals[key]`: the placeholder holding the count and a text per CLDR
 * category, from the core's `messages()`) gives the text `Intl.PluralRules` selects for the
 * count in `lang` — the same CLDR rules the core applies (a test compares them).
 */
export function translator(messages, plurals = {}, lang = 'en') {
  let rules = null;
  const pick = (key, args) => {
    const p = plurals[key];
    if (!p || !args || !(p.select in args)) return messages[key] ?? p?.forms.other ?? key;
    const count = String(args[p.select]).trim();
    // Whole numbers only, as in the core (anything else: `other`).
    if (!/^-?\d{1,20}$/.test(count)) return p.forms.other;
    try {
      rules ??= new Intl.PluralRules(lang);
      return p.forms[rules.select(Number(count))] ?? p.forms.other;
    } catch {
      return p.forms.other;
    }
  };
  return (key, args) => {
    const template = pick(key, args);
    if (!args) return template;
    return template.replace(/\{(\w+)\}/g, (m, name) => (name in args ? String(args[name]) : m));
  };
}

/** Formats `n` in `lang` (Arabic digits in Arabic, and so on). */
export function number(lang, n) {
  try {
    return new Intl.NumberFormat(lang, { maximumFractionDigits: 0 }).format(n);
  } catch {
    return String(Math.round(n));
  }
}

/** `document.createElement(tag)` with a class and text content. */
export function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text != null) e.textContent = text;
  return e;
}

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes (numbers and strings only). */
export function svg(tag, attrs = {}, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text != null) e.textContent = text;
  return e;
}
