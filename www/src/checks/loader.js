// www/dist/checks.js, the script the error page names (<script src=… defer>): after the
// first paint, it loads the checks for the page's language (checks.<lang>.js, beside it;
// the page's <html lang> is the language the core rendered it in). Tiny on purpose: the
// page is readable long before, and without, any of this.
import { afterFirstPaint } from '../paint.js';

const me = document.currentScript;
const languages = GATEWISE_LANGUAGES; // replaced at build time
if (me) {
  afterFirstPaint(() => {
    const tag = (document.documentElement.lang || 'en').toLowerCase();
    const lang = languages.find((l) => l.toLowerCase() === tag) ?? 'en';
    const s = document.createElement('script');
    s.src = new URL(`checks.${lang}.js`, me.src).href;
    if (me.nonce) s.nonce = me.nonce;
    document.head.append(s);
  });
}
