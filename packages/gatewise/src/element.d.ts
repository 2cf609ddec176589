// `gatewise/element`: the <gatewise-error> custom element (registered on import in browsers).
import type { Diagnosis } from './diagnosis.js';
import type { Texts } from './api.js';

/**
 * `<gatewise-error status="502">`: the core's explanation of a status code, or of the
 * `diagnosis` property when set. Attributes: `status`, `lang` (default
 * `navigator.languages`), `request-id`, `heading-level` (1–6), `details`.
 */
export class GatewiseErrorElement extends HTMLElement {
  static readonly observedAttributes: string[];
  /** Loads the core now (the same as `init()` from 'gatewise'): elements connected after it render at once. */
  static load(): Promise<void>;
  /** Registers the element under `name` (default `gatewise-error`), once. */
  static define(name?: string): void;
  /** The diagnosis shown instead of the `status` attribute's. */
  diagnosis: Diagnosis | null;
  /** The texts shown, or `null` when there is nothing valid to show. */
  readonly texts: Texts | null;
  /** Draws the explanation again. */
  render(): void;
  connectedCallback(): void;
  attributeChangedCallback(): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'gatewise-error': GatewiseErrorElement;
  }
}
