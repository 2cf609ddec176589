// Which catalog a language tag gets: RFC 4647 §3.4 lookup over the catalogs' tags and aliases,
// as the core negotiates (render/negotiate.rs `lookup_tag`). The table is the core's one alias
// table (catalogs/languages.toml), exported at build time through the binding's languages();
// a test (www/test/languages.test.mjs) compares this with the core for many tags.

/**
 * The catalog tag for `tag` (`pt-PT` → `pt-BR`, `zh-TW` → `zh-Hans`, `fr-CA` → `fr`), or `null`.
 * `languages`: `[{ tag, aliases }]`.
 */
export function lookupLanguage(tag, languages) {
  let t = String(tag ?? '').trim().replace(/_/g, '-').toLowerCase();
  if (t.length > 64 || !/^[a-z]{1,8}(-[a-z0-9]{1,8})*$/.test(t)) return null;
  for (;;) {
    const hit = languages.find((l) => l.tag.toLowerCase() === t) ?? languages.find((l) => l.aliases.includes(t));
    if (hit) return hit.tag;
    const cut = t.lastIndexOf('-');
    if (cut < 0) return null;
    t = t.slice(0, cut);
    const single = t.lastIndexOf('-');
    if (single >= 0 && t.length - single === 2) t = t.slice(0, single);
  }
}
