// www/dist/checks.js, the script the error page names (<script src=… defer>): after the
// first paint, it loads the checks for the page's language (checks.<lang>.js, beside it;
// the page's <html lang> is the language the core rendered it in). Tiny on purpose: the
// page is readable long before, and without, any of this. A page written elsewhere in
// `pt-PT` or `zh-TW` gets the catalog the core would pick (lang.js).
import { afterFirstPaint } from '../paint.js';
import { lookupLanguage } from './lang.js';

const me = document.currentScript;
const languages = GATEWISE_LANGUAGES; // replaced at build time: [{ tag, aliases }]
if (me) {
  afterFirstPaint(() => {
    const lang = lookupLanguage(document.documentElement.lang || 'en', languages) ?? 'en';
    const s = document.createElement('script');
    s.src = new URL(`checks.${lang}.js`, me.src).href;
    if (me.nonce) s.nonce = me.nonce;
    document.head.append(s);
  });
}
