// <gatewise-error>: the core's explanation of a failure, inside a site's own page.
// Every text comes from the core (describe / explainStatus) and is set with textContent:
// no markup is ever built from strings. Styled through CSS custom properties and ::part.
import { describe, explainStatus } from './explain.js';
import { messages } from './checks.js';
import { init, loaded, whenLoaded } from './loader.js';

const Base = globalThis.HTMLElement ?? class {};

const CSS = `
:host{display:block;color:var(--gatewise-fg,inherit);font:var(--gatewise-font,inherit)}
:host([hidden]){display:none}
section{box-sizing:border-box;background:var(--gatewise-bg,transparent);
  border:var(--gatewise-border-width,1px) solid var(--gatewise-border,currentColor);
  border-radius:var(--gatewise-radius,.5rem);padding:var(--gatewise-padding,1rem 1.25rem);text-align:start}
.code{font:600 .85em/1.4 ui-monospace,Menlo,Consolas,monospace}
.status{margin:0 0 .5rem;color:var(--gatewise-muted,inherit)}
.title{margin:0 0 .35rem;font-size:var(--gatewise-title-size,1.25em);line-height:1.3}
.subtitle{margin:1rem 0 .35rem;font-size:1em}
p{margin:0 0 .75rem}
ul{margin:0 0 .75rem;padding-inline-start:1.25rem}
li{margin-block-end:.25rem}
code{font:.9em ui-monospace,Menlo,Consolas,monospace;background:var(--gatewise-code-bg,rgba(127,127,127,.15));
  border-radius:.25rem;padding:.1em .3em;overflow-wrap:anywhere}
li code{display:block;inline-size:fit-content;margin-block-start:.25rem}
details{margin-block-start:.75rem}
summary{cursor:pointer;font-weight:600}
:focus-visible{outline:3px solid var(--gatewise-accent,Highlight);outline-offset:2px}
`;

function el(tag, part, text) {
  const e = document.createElement(tag);
  if (part) e.setAttribute('part', part);
  if (text != null) e.textContent = text;
  return e;
}

function list(part, items) {
  const ul = el('ul', part);
  for (const item of items) {
    const li = el('li', `${part}-item`, typeof item === 'string' ? item : item.text);
    if (typeof item !== 'string' && item.command) li.append(el('code', 'command', item.command));
    ul.append(li);
  }
  return ul;
}

/**
 * `<gatewise-error status="502">`: explains a status code (`status`, e.g. `502`,
 * `502.3`, `524`) or, when its `diagnosis` property is set (e.g. to
 * `error.diagnosis` of a failed `fetchWithRetry`), that diagnosis. Attributes:
 * `lang` (default: `navigator.languages`), `request-id`, `heading-level` (1–6,
 * default 2), `details` (show the site owner's and developer's details, folded).
 * The plain headline comes first, then the status the gateway sent (none for
 * a failure the browser itself saw); the machine-readable code
 * (`502 · connection_refused`) is in the details.
 * Parts: `container title status summary visitor advice-heading advice advice-item
 * request-id details details-summary code failure causes-heading causes
 * causes-item note owner owner-advice developer developer-advice command`.
 */
export class GatewiseErrorElement extends Base {
  static get observedAttributes() {
    return ['status', 'lang', 'request-id', 'heading-level', 'details'];
  }

  #diagnosis = null;
  #waiting = false;

  /** The diagnosis shown instead of the `status` attribute's, or `null`. */
  get diagnosis() {
    return this.#diagnosis;
  }

  set diagnosis(value) {
    this.#diagnosis = value ?? null;
    this.render();
  }

  /** The texts shown, or `null` when there is nothing valid to show. */
  get texts() {
    const lang = this.getAttribute('lang') || undefined;
    const options = lang ? { lang } : undefined;
    try {
      if (this.#diagnosis) return describe(this.#diagnosis, options);
      const status = this.getAttribute('status');
      return status ? explainStatus(status, options).texts : null;
    } catch {
      return null; // an invalid status code or diagnosis: show nothing rather than fail
    }
  }

  connectedCallback() {
    this.render();
  }

  attributeChangedCallback() {
    if (this.isConnected) this.render();
  }

  /**
   * Draws the explanation again (called on every change). Before the core is loaded, starts
   * loading it and draws when it is ready; until then the element's own children show.
   */
  render() {
    if (!loaded()) {
      this.#renderWhenLoaded();
      return;
    }
    const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = CSS;
    const t = this.texts;
    if (!t) {
      root.replaceChildren(style);
      return;
    }
    const level = Math.min(6, Math.max(1, Number.parseInt(this.getAttribute('heading-level') ?? '2', 10) || 2));
    const box = el('section', 'container');
    box.setAttribute('role', 'status');
    box.lang = t.lang;
    box.dir = t.dir;
    const title = el(`h${level}`, 'title', t.title);
    title.className = 'title';
    title.id = 'title';
    box.setAttribute('aria-labelledby', 'title');
    const sub = `h${Math.min(6, level + 1)}`;
    const adviceHeading = el(sub, 'advice-heading', t.headings.visitor);
    adviceHeading.className = 'subtitle';
    box.append(title);
    if (t.statusLine) {
      const status = el('p', 'status', t.statusLine);
      status.className = 'status';
      box.append(status);
    }
    box.append(el('p', 'summary', t.summary), el('p', 'visitor', t.visitor));
    if (t.visitorAdvice.length) box.append(adviceHeading, list('advice', t.visitorAdvice));
    box.append(document.createElement('slot'));
    const id = this.getAttribute('request-id');
    if (id) {
      // "Request ID: <code>…</code>": the words and the punctuation between them come from the
      // core's `page.field` template ("{label}\u202f: {value}" in French, "{label}：{value}" in
      // Japanese); only the id is put in its own element.
      const field = messages('page.field', { lang: t.lang }).messages['page.field'] ?? '{label}: {value}';
      const [before, after = ''] = field.replaceAll('{label}', t.headings.requestId).split('{value}');
      const p = el('p', 'request-id', before);
      p.append(el('code', null, id.slice(0, 256)), after);
      box.append(p);
    }
    if (this.hasAttribute('details')) {
      const details = el('details', 'details');
      details.append(el('summary', 'details-summary', t.headings.details));
      if (t.code) {
        const code = el('p');
        const token = el('code', 'code', t.code);
        token.className = 'code';
        code.append(token);
        details.append(code);
      }
      details.append(el('p', 'failure', t.failure));
      if (t.causes?.length) {
        details.append(el(sub, 'causes-heading', t.headings.causes), list('causes', t.causes));
      }
      if (t.note) details.append(el('p', 'note', t.note));
      if (t.owner) details.append(el('p', 'owner', t.owner));
      if (t.ownerAdvice.length) details.append(list('owner-advice', t.ownerAdvice));
      if (t.developer) details.append(el('p', 'developer', t.developer));
      if (t.developerAdvice.length) details.append(list('developer-advice', t.developerAdvice));
      box.append(details);
    }
    root.replaceChildren(style, box);
  }

  #renderWhenLoaded() {
    if (this.#waiting) return;
    this.#waiting = true;
    // If the core cannot load (init() rejects for whoever awaits it), the element's children
    // (e.g. a "Try again" button) stay as the page wrote them, until a later init() succeeds.
    init().catch(() => {});
    whenLoaded().then(() => {
      this.#waiting = false;
      this.render();
    });
  }

  /** Loads the core now (the same as `init()`), e.g. to render new elements at once. */
  static load() {
    return init();
  }

  /** Registers the element under `name` (default `gatewise-error`) once; no-op outside browsers. */
  static define(name = 'gatewise-error') {
    const registry = globalThis.customElements;
    if (registry && !registry.get(name)) registry.define(name, this);
  }
}
