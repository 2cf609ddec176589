// The words of the checks: catalog messages (full keys → text) from the core, and
// numbers in the page's language. Nothing here is ever inserted as markup.

/** `t(key, args)`: the message for `key` with `{name}` placeholders filled; the key if missing. */
export function translator(messages) {
  return (key, args) => {
    const template = messages[key] ?? key;
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
