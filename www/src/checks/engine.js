// The live checks: the browser does the requests, the core's table decides.
//
// Each check is a function of its configuration that settles with
// { outcome, ms, answered, detail }: `outcome` one of the core's Outcome names
// (ok, failed, timeout, unknown), `ms` the round trip, `answered` whether an
// HTTP answer arrived at all (for the derived `browser` check). Every check has
// its own timeout (AbortSignal plus a timer, whichever fires first), so a run
// always settles within the timeout. Nothing here decides what the results mean:
// `evaluate` walks the core's verdict table (checks::VERDICTS, delivered as data)
// exactly as `gatewise_core::checks::verdict` does — first matching row wins.

/** The checks of the core's model, in order (checks.rs Check). */
export const CHECKS = ['browser', 'sites', 'dns', 'edge', 'origin', 'page', 'site'];

/** The first row of the core's verdict table that matches `results` (check → outcome). */
export function evaluate(model, results) {
  const rows = model.verdicts;
  for (const row of rows) {
    if (row.when.every(([check, allowed]) => allowed.includes(results[check]))) return row;
  }
  return rows[rows.length - 1];
}

const now = () => performance.now();

/** Runs `work(signal)` with a timeout; settles with { outcome: 'timeout' } when it fires. */
function withTimeout(timeoutMs, work) {
  const controller = new AbortController();
  const t0 = now();
  return new Promise((resolve) => {
    let done = false;
    const finish = (r) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ ms: Math.round(now() - t0), answered: false, ...r });
    };
    const timer = setTimeout(() => {
      controller.abort();
      finish({ outcome: 'timeout' });
    }, timeoutMs);
    Promise.resolve()
      .then(() => work(controller.signal, () => Math.round(now() - t0)))
      .then(finish, () => finish({ outcome: 'failed' }));
  });
}

const QUIET = { cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer', redirect: 'follow' };

/** Other sites: `no-cors` requests; the first answer (even opaque) wins. */
export function checkSites(urls, timeoutMs) {
  if (!urls.length) return Promise.resolve({ outcome: 'unknown', ms: 0, answered: false, skipped: true });
  return withTimeout(timeoutMs, (signal, elapsed) => new Promise((resolve) => {
    let failed = 0;
    for (const url of urls) {
      fetch(url, { ...QUIET, mode: 'no-cors', signal }).then(
        () => resolve({ outcome: 'ok', ms: elapsed(), answered: true, detail: new URL(url).host }),
        () => {
          failed += 1;
          if (failed === urls.length) resolve({ outcome: 'failed', ms: elapsed() });
        },
      );
    }
  }));
}

/** A JSON GET with the check's signal; `{ status, json }` or throws on a network error. */
async function getJson(url, signal, headers) {
  const res = await fetch(url, { ...QUIET, signal, headers });
  let json = null;
  try {
    json = await res.json();
  } catch {
    // not JSON: the caller decides from the status
  }
  return { status: res.status, ok: res.ok, json };
}

/** Whether `host` is an IP literal (nothing to resolve). */
function isAddress(host) {
  return /^[\d.]+$/.test(host) || host.includes(':') || host.startsWith('[');
}

/**
 * The site's name over DNS-over-HTTPS (JSON API: `?name=&type=`, RFC 8427-style answers):
 * an address → ok; NXDOMAIN (3), SERVFAIL (2) or no address → failed; a resolver that
 * cannot be asked → unknown (that says nothing about the site).
 */
export function checkDns(resolver, host, timeoutMs) {
  if (!resolver || !host || isAddress(host)) {
    return Promise.resolve({ outcome: 'unknown', ms: 0, answered: false, skipped: true });
  }
  return withTimeout(timeoutMs, async (signal, elapsed) => {
    let answered = false;
    try {
      for (const type of ['A', 'AAAA']) {
        const u = new URL(resolver);
        u.searchParams.set('name', host);
        u.searchParams.set('type', type);
        const { ok, json } = await getJson(u, signal, { accept: 'application/dns-json' });
        if (!ok || !json || typeof json.Status !== 'number') {
          return { outcome: 'unknown', ms: elapsed(), answered: true };
        }
        answered = true;
        if (json.Status === 3 || json.Status === 2) {
          return { outcome: 'failed', ms: elapsed(), answered, detail: json.Status === 3 ? 'NXDOMAIN' : 'SERVFAIL' };
        }
        if (json.Status !== 0) return { outcome: 'unknown', ms: elapsed(), answered };
        const addresses = (Array.isArray(json.Answer) ? json.Answer : []).filter((a) => a && (a.type === 1 || a.type === 28));
        if (addresses.length) return { outcome: 'ok', ms: elapsed(), answered, detail: String(addresses[0].data ?? '') };
      }
      return { outcome: 'failed', ms: elapsed(), answered, detail: 'no address' };
    } catch (e) {
      if (signal.aborted) throw e;
      return { outcome: 'unknown', ms: elapsed(), answered };
    }
  });
}

/** The edge's health endpoint (same origin): a 2xx answer → ok. */
export function checkEdge(url, timeoutMs) {
  if (!url) return Promise.resolve({ outcome: 'unknown', ms: 0, answered: false, skipped: true });
  return withTimeout(timeoutMs, async (signal, elapsed) => {
    try {
      const res = await fetch(url, { ...QUIET, signal });
      res.body?.cancel().catch(() => {});
      return { outcome: res.ok ? 'ok' : 'failed', ms: elapsed(), answered: true, detail: String(res.status) };
    } catch (e) {
      if (signal.aborted) throw e;
      return { outcome: 'failed', ms: elapsed() };
    }
  });
}

/**
 * A site the visitor typed. Another site's answer to a `no-cors` request is opaque: any answer →
 * ok, which says only that it answered (its status, an error page or not, is hidden; the core's
 * verdict says so). Its own site's answer (same origin) shows its status: the detail. An `http:`
 * address from an `https:` page is blocked as mixed content before it is even asked → unknown,
 * never "no answer".
 */
export function checkSite(url, timeoutMs) {
  const target = new URL(url, globalThis.location?.href);
  if (globalThis.location?.protocol === 'https:' && target.protocol === 'http:') {
    return Promise.resolve({ outcome: 'unknown', ms: 0, answered: false, skipped: true, detail: 'mixed content' });
  }
  const sameOrigin = target.origin === globalThis.location?.origin;
  return withTimeout(timeoutMs, async (signal, elapsed) => {
    try {
      const res = await fetch(target, { ...QUIET, mode: sameOrigin ? 'same-origin' : 'no-cors', signal });
      res.body?.cancel().catch(() => {});
      return { outcome: 'ok', ms: elapsed(), answered: true, detail: sameOrigin ? String(res.status) : undefined };
    } catch (e) {
      if (signal.aborted) throw e;
      return { outcome: 'failed', ms: elapsed() };
    }
  });
}

const ORIGIN_STATES = { reachable: 'ok', failing: 'failed', unreachable: 'failed' };

/**
 * What the edge sees of the origin (its origin-status endpoint: `state` reachable,
 * failing, unreachable, or probing while another request probes). An endpoint that
 * does not answer usefully → unknown: that is the edge's problem, the edge check's to say.
 */
export function checkOrigin(url, timeoutMs) {
  if (!url) return Promise.resolve({ outcome: 'unknown', ms: 0, answered: false, skipped: true });
  return withTimeout(timeoutMs, async (signal, elapsed) => {
    try {
      for (;;) {
        const { ok, json } = await getJson(url, signal);
        const state = ok && json && typeof json.state === 'string' ? json.state : null;
        if (state === 'probing') {
          await new Promise((r) => setTimeout(r, 250));
          continue;
        }
        const outcome = ORIGIN_STATES[state] ?? 'unknown';
        const type = json?.diagnosis?.errorType;
        return { outcome, ms: elapsed(), answered: true, detail: typeof type === 'string' ? type : undefined };
      }
    } catch (e) {
      if (signal.aborted) throw e;
      return { outcome: 'unknown', ms: elapsed() };
    }
  });
}

const PAGE_STATES = { answers: 'ok', failing: 'failed', unreachable: 'failed' };

/**
 * The address that failed, asked again by the edge (its re-check endpoint, the URL with the token
 * the page carries): `answers` (below 500) → ok, `failing`/`unreachable` → failed (timeout when the
 * edge's own time limit ended it). A refusal, a rate limit or no endpoint → unknown: then the page
 * knows nothing about this address, and never claims it works.
 */
export function checkPage(url, timeoutMs) {
  if (!url) return Promise.resolve({ outcome: 'unknown', ms: 0, answered: false, skipped: true });
  return withTimeout(timeoutMs, async (signal, elapsed) => {
    try {
      // The visitor's own request again: cookies (same origin) and an Accept like a navigation's.
      const res = await fetch(url, {
        ...QUIET,
        credentials: 'same-origin',
        signal,
        headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
      });
      let json = null;
      try {
        json = await res.json();
      } catch {
        // not JSON: unknown
      }
      const state = res.ok && json && typeof json.state === 'string' ? json.state : null;
      const type = json?.diagnosis?.errorType;
      let outcome = PAGE_STATES[state] ?? 'unknown';
      if (outcome === 'failed' && type === 'http_response_timeout') outcome = 'timeout';
      const status = Number.isInteger(json?.status) ? String(json.status) : undefined;
      return { outcome, ms: elapsed(), answered: true, detail: typeof type === 'string' ? type : status };
    } catch (e) {
      if (signal.aborted) throw e;
      return { outcome: 'unknown', ms: elapsed() };
    }
  });
}

/**
 * Runs every check in parallel. `config`: { sites, resolver, host, health, originStatus,
 * page (the re-check of the address that failed), siteUrl (the explainer: a typed address),
 * timeoutMs }; a check without its setting is skipped (unknown).
 * `onResult(check, result)` is called as each settles (browser last or as soon as
 * anything answered). Resolves with { results: check → outcome, details: check → result }.
 */
export async function runChecks(config, onResult = () => {}) {
  const timeoutMs = config.timeoutMs;
  const details = {};
  const settle = (check, r) => {
    details[check] = r;
    onResult(check, r);
    return r;
  };
  if (globalThis.navigator?.onLine === false) {
    settle('browser', { outcome: 'failed', ms: 0, answered: false, detail: 'navigator.onLine' });
    for (const c of CHECKS.slice(1)) settle(c, { outcome: 'unknown', ms: 0, answered: false, skipped: true });
  } else {
    const others = {
      sites: checkSites(config.sites, timeoutMs),
      dns: checkDns(config.resolver, config.host, timeoutMs),
      edge: checkEdge(config.health, timeoutMs),
      origin: checkOrigin(config.originStatus, timeoutMs),
      page: checkPage(config.page, timeoutMs),
      site: config.siteUrl
        ? checkSite(config.siteUrl, timeoutMs)
        : Promise.resolve({ outcome: 'unknown', ms: 0, answered: false, skipped: true }),
    };
    // The browser is online when any request of this run got an answer.
    const t0 = now();
    let browserDone = false;
    const browser = new Promise((resolve) => {
      const pending = Object.values(others);
      const seen = [];
      for (const p of pending) {
        p.then((r) => {
          seen.push(r);
          if (browserDone) return;
          if (r.answered) {
            browserDone = true;
            resolve({ outcome: 'ok', ms: Math.round(now() - t0), answered: true });
          } else if (seen.length === pending.length) {
            browserDone = true;
            // Nothing answered: a request still waiting at its timeout → timeout; every
            // request failed → failed; nothing could even be tried → unknown.
            const tried = seen.filter((x) => !x.skipped);
            const outcome = tried.some((x) => x.outcome === 'timeout') ? 'timeout' : tried.length ? 'failed' : 'unknown';
            resolve({ outcome, ms: Math.round(now() - t0), answered: false });
          }
        });
      }
    }).then((r) => settle('browser', r));
    await Promise.all([
      ...Object.entries(others).map(([c, p]) => p.then((r) => settle(c, r))),
      browser,
    ]);
  }
  const results = {};
  for (const c of CHECKS) results[c] = details[c].outcome;
  return { results, details };
}
