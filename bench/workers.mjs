// The plain-JS workers the benchmarks compare gatewise with (bench/run.mjs, bench/profile.mjs),
// as module sources. Each reads the origin from env.ORIGIN_URL.
export const WORKERS = {
  // (b): what a site owner writes by hand — the request, rewritten to the origin.
  js: `export default {
  fetch(request, env) {
    const url = new URL(request.url);
    const o = new URL(env.ORIGIN_URL);
    url.protocol = o.protocol; url.host = o.host;
    return fetch(new Request(url, request));
  },
};
`,
  // (d): the forwarding work gatewise does on its happy path, in plain JS — the request's headers
  // copied with X-Forwarded-For/-Proto/-Host, Forwarded and CDN-Loop set, redirects not followed, a
  // time limit on the response headers (AbortController + setTimeout, cleared when they are in).
  // (c) − (d) is what Rust/Wasm costs; (d) − (b) what the features cost in any language.
  jsfwd: `export default {
  fetch(request, env) {
    const url = new URL(request.url);
    const h = new Headers(request.headers);
    h.delete('host');
    const ip = h.get('cf-connecting-ip');
    if (ip) h.set('x-forwarded-for', h.get('x-forwarded-for') ? h.get('x-forwarded-for') + ', ' + ip : ip);
    const proto = url.protocol.slice(0, -1);
    h.set('x-forwarded-proto', proto);
    h.set('x-forwarded-host', url.host);
    const fwd = 'for=' + (ip ?? 'unknown') + ';host="' + url.host + '";proto=' + proto;
    h.set('forwarded', h.get('forwarded') ? h.get('forwarded') + ', ' + fwd : fwd);
    h.set('cdn-loop', h.get('cdn-loop') ? h.get('cdn-loop') + ', gatewise' : 'gatewise');
    const c = new AbortController();
    const t = setTimeout(() => c.abort(), 30000);
    const init = { method: request.method, headers: h, redirect: 'manual', signal: c.signal };
    if (request.body) init.body = request.body;
    return fetch(env.ORIGIN_URL + url.pathname + url.search, init).then(
      (r) => { clearTimeout(t); return r; },
      (e) => { clearTimeout(t); throw e; },
    );
  },
};
`,
  // (e): (b), answering a fixed 502 string when the origin fails.
  jserr: `export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const o = new URL(env.ORIGIN_URL);
    url.protocol = o.protocol; url.host = o.host;
    try { return await fetch(new Request(url, request)); }
    catch { return new Response('error code: 502', { status: 502, headers: { 'content-type': 'text/plain' } }); }
  },
};
`,
  // The streaming section's control: buffers the whole response before answering (what "no body
  // buffered" rules out), to show that the RSS sampling sees buffering.
  jsbuf: `export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const o = new URL(env.ORIGIN_URL);
    url.protocol = o.protocol; url.host = o.host;
    const r = await fetch(new Request(url, request));
    return new Response(await r.arrayBuffer(), r);
  },
};
`,
};
