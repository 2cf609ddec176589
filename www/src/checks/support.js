// "Copy details": a plain text a visitor can paste into a message to the site's support —
// the failure the page shows, the request id and time, the verdict and each check's result.
import { el } from './texts.js';

/**
 * The support text. `facts`: { code, title, requestId, time, url }; `verdict`: the core's
 * row; `lines`: [{ label, state }] per check; `t` the catalog translator.
 */
export function supportText({ t, facts, verdict, lines, checkedAt, userAgent }) {
  const field = (labelKey, value) => t('page.field', { label: t(labelKey), value });
  const out = [t('checks.copy.heading'), ''];
  if (facts.code) out.push(facts.code);
  if (facts.title) out.push(facts.title);
  if (facts.requestId) out.push(field('page.label.request_id', facts.requestId));
  if (facts.time) out.push(field('page.label.time', facts.time));
  if (facts.url) out.push(field('page.label.url', facts.url));
  if (verdict) {
    out.push(field('checks.copy.verdict', `${t(`checks.verdict.${verdict.verdict}.title`)} (${verdict.verdict})`));
  }
  out.push(field('checks.copy.checked_at', checkedAt), field('checks.copy.results', '').trimEnd());
  for (const { label, state } of lines) out.push(`- ${t('page.field', { label, value: state })}`);
  if (userAgent) out.push(field('checks.copy.browser', userAgent));
  return out.join('\n');
}

/**
 * Puts `text` on the clipboard; when the Clipboard API is missing or refused, shows it in
 * a read-only, selected text area after `after` so the visitor can copy it. True if copied.
 */
export async function copyText(text, after, t) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    let area = document.getElementById('gw-support');
    if (!area) {
      area = el('textarea', 'gw-support');
      area.id = 'gw-support';
      area.readOnly = true;
      area.setAttribute('aria-label', t('checks.copy.label'));
      after.after(area);
    }
    area.value = text;
    area.focus();
    area.select();
    return false;
  }
}
