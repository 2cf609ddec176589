// Every entry point of the INSTALLED package (npm pack → npm install in a scratch project),
// under Node: scripts/test-npm.sh copies this file into that project and runs it there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import {
  backoffDelay,
  checksModel,
  checksVerdict,
  classifyError,
  classifyResponse,
  describe,
  explain,
  explainLog,
  explainLogs,
  explainStatus,
  languages,
  limits,
  messages,
  parseRetryAfter,
  pluralCategory,
  problemDetails,
  proxyStatus,
  renderPage,
  retryDecision,
  statusRule,
  statusRules,
  isRetryableStatus,
  isGatewayFailure,
} from 'gatewise';
import { GatewiseErrorElement } from 'gatewise/element';

const repo = process.env.GATEWISE_REPO;
assert.ok(repo, 'GATEWISE_REPO names the repository (for the captured fixtures)');
const fixture = (path) => readFileSync(`${repo}/tests/fixtures/${path}`, 'utf8');

/** A captured raw response as { status, headers, body }. */
function parseRaw(raw) {
  const at = raw.indexOf('\r\n\r\n');
  const [statusLine, ...lines] = raw.slice(0, at).split('\r\n');
  return {
    status: Number(statusLine.split(' ')[1]),
    headers: lines.map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
    body: raw.slice(at + 4),
  };
}

const nginxRefused = fixture('responses/nginx/refused.http');
const nginxLine = fixture('logs/nginx/refused.log').split('\n')[0];
const NGINX_ALTERNATIVES = [
  'connection_terminated',
  'http_response_incomplete',
  'http_protocol_error',
  'http_response_header_section_size',
  'dns_error',
  'tls_protocol_error',
  'tls_certificate_error',
];

test('explainStatus: a bare status code, with texts in the language asked for', () => {
  const d = explainStatus('524');
  assert.equal(d.errorType, 'http_response_timeout');
  assert.equal(d.layer, 'cloudflare');
  assert.equal(d.receivedStatus, 524);
  assert.equal(d.status, 524);
  assert.equal(d.texts.lang, 'en');
  assert.equal(d.texts.code, '524 · http_response_timeout');
  assert.ok(d.texts.visitorAdvice.length > 0);

  const iis = explainStatus(502.3);
  assert.equal(iis.layer, 'iis');
  assert.equal(iis.subStatus, 3);

  const bare = explainStatus(502);
  assert.equal(bare.errorType, null);
  assert.equal(bare.hop, null);
  assert.equal(bare.confidence, 'low');
  assert.ok(bare.alternatives.includes('connection_refused'));

  assert.equal(explainStatus('502', { lang: 'de-CH' }).texts.lang, 'de');
  const ar = explainStatus('503', { lang: ['xx-YY', 'ar-EG', 'en'] }).texts;
  assert.deepEqual([ar.lang, ar.dir], ['ar', 'rtl']);
  assert.notEqual(ar.title, explainStatus('503').texts.title);

  for (const bad of ['abc', '99', '502.03', '']) {
    assert.throws(() => explainStatus(bad), { name: 'GatewiseInputError', code: 'invalid_status' }, bad);
  }
  assert.throws(() => explainStatus('502', { lang: 42 }), TypeError);
});

test('classifyResponse: the captured nginx 502 page, as plain values and as a Response', async () => {
  const r = parseRaw(nginxRefused);
  const want = (d) => {
    assert.equal(d.layer, 'nginx');
    assert.equal(d.errorType, 'connection_refused');
    assert.equal(d.status, 502);
    assert.equal(d.receivedStatus, 502);
    assert.equal(d.confidence, 'low');
    assert.deepEqual(d.alternatives, NGINX_ALTERNATIVES);
  };
  want(classifyResponse(r)); // headers as [name, value] pairs
  want(classifyResponse({ ...r, headers: Object.fromEntries(r.headers) }));
  want(classifyResponse({ ...r, headers: new Headers(r.headers), body: new TextEncoder().encode(r.body) }));

  const response = new Response(r.body, { status: 502, headers: r.headers });
  const pending = classifyResponse(response);
  assert.ok(pending instanceof Promise);
  want(await pending);
  assert.equal(await response.text(), r.body, 'the response itself stays unread');

  const squid = classifyResponse({
    status: 502,
    headers: [['Server', 'squid/5.7'], ['X-Squid-Error', 'ERR_CONNECT_FAIL 111']],
    body: '<html>...</html>',
  });
  assert.equal(squid.layer, 'squid');
  assert.equal(squid.errorType, 'connection_refused');
  assert.equal(squid.vendorCode, 'ERR_CONNECT_FAIL');

  const ok = classifyResponse({ status: 200 });
  assert.equal(ok.errorType, null);
  assert.equal(ok.retryable, false);
  assert.throws(() => classifyResponse({ status: 70000 }), TypeError);
  // Bounded: a 50 MB body costs no more than its prefix.
  const huge = classifyResponse({ status: 502, headers: r.headers, body: r.body + 'x'.repeat(50 << 20) });
  assert.equal(huge.layer, 'nginx');
});

test('classifyError: what fetch throws in Chrome, Firefox, Safari', () => {
  for (const [message, rule] of [
    ['Failed to fetch', 'browser.chrome_failed_to_fetch'],
    ['NetworkError when attempting to fetch resource.', 'browser.firefox_network_error'],
    ['Load failed', 'browser.safari_load_failed'],
  ]) {
    const d = classifyError(new TypeError(message), { runtime: 'browser' });
    assert.equal(d.errorType, null, message);
    assert.equal(d.confidence, 'low', message);
    assert.equal(d.layer, 'browser', message);
    assert.ok(d.alternatives.length >= 3, message);
    assert.ok(d.alternatives.includes('connection_refused'), message);
    assert.ok(d.evidence.some((e) => e.rule === rule), `${message}: ${JSON.stringify(d.evidence)}`);
  }
});

test('classifyError: a real Node fetch to a refused port, aborts and timeouts', async () => {
  const port = await new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
  const thrown = await fetch(`http://127.0.0.1:${port}/`).then(
    () => assert.fail('nothing listens there'),
    (e) => e,
  );
  assert.equal(thrown.message, 'fetch failed');
  const d = classifyError(thrown);
  assert.equal(d.errorType, 'connection_refused');
  assert.equal(d.layer, 'node');
  assert.equal(d.reached, 'no');
  assert.equal(d.confidence, 'high');
  assert.equal(d.hop, 'connect');

  const aborted = classifyError(new DOMException('This operation was aborted', 'AbortError'));
  assert.equal(aborted.errorType, null);
  assert.equal(aborted.status, 499);
  assert.equal(aborted.retryable, false);

  // A server that accepts and never answers, so that the timeout (not a refusal) ends the fetch.
  const sockets = [];
  const silent = createServer((socket) => sockets.push(socket));
  await new Promise((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const timeout = await fetch(`http://127.0.0.1:${silent.address().port}/`, { signal: AbortSignal.timeout(50) }).catch((e) => e);
  for (const socket of sockets) socket.destroy();
  silent.close();
  assert.equal(timeout.name, 'TimeoutError');
  assert.equal(classifyError(timeout).errorType, 'http_response_timeout');

  const lost = classifyError(Object.assign(new Error('Network connection lost.'), { retryable: true }), {
    runtime: 'workerd',
  });
  assert.equal(lost.layer, 'workerd');
  assert.equal(lost.confidence, 'low');
  assert.ok(lost.alternatives.includes('connection_terminated'));
});

test('classifyError: hostile error objects never hang or throw', () => {
  const cyclic = new Error('fetch failed');
  cyclic.cause = cyclic;
  assert.equal(classifyError(cyclic).layer, 'node');
  const getter = {
    get message() {
      throw new Error('boom');
    },
    name: 'TypeError',
  };
  assert.equal(classifyError(getter).errorType, null);
  assert.equal(classifyError('connect ECONNREFUSED 127.0.0.1:9').errorType, 'connection_refused');
  assert.equal(classifyError(null).confidence, 'low');
  assert.equal(classifyError({ message: 'x'.repeat(1 << 20), code: 12 }).confidence, 'low');
});

/** `depth` nested `{ name, message, cause }` errors around `innermost`, built without recursion. */
function deepChain(depth, innermost) {
  let e = innermost;
  for (let i = 0; i < depth; i++) e = { name: 'TypeError', message: 'fetch failed', cause: e };
  return e;
}

test('classifyError: a 100,000-deep cause chain, through the package and straight into the wasm binding', async () => {
  const refused = { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' };
  const { maxCauseDepth } = limits();
  assert.equal(maxCauseDepth, 8);
  // Within the bound the innermost error decides; beyond it, it is not read.
  assert.equal(classifyError(deepChain(maxCauseDepth - 1, refused)).errorType, 'connection_refused');
  const cut = classifyError(deepChain(maxCauseDepth, {}));
  assert.equal(cut.errorType, null);
  assert.deepEqual(classifyError(deepChain(100_000, refused)), cut);
  // The wasm binding itself (the installed package's own file, past its JavaScript wrapper, which
  // already bounds the chain): the core's Deserialize reads MAX_DEPTH levels and skips the rest
  // unlooked-at, so nothing recurses 100,000 times (it overflowed the stack before issue 8).
  const raw = await import(new URL('gatewise_wasm.js', import.meta.resolve('gatewise')));
  const deep = raw.classifyError(deepChain(100_000, refused));
  assert.deepEqual(deep, raw.classifyError(deepChain(maxCauseDepth, {})));
  assert.equal(deep.errorType, null);
  assert.equal(raw.classifyError(deepChain(maxCauseDepth - 1, refused)).errorType, 'connection_refused');
});

test('explainLog / explainLogs: nginx error log lines', () => {
  const e = explainLog(nginxLine);
  assert.equal(e.format, 'nginx_error');
  assert.equal(e.pattern, 'connect_refused');
  assert.equal(e.kind, 'failure');
  assert.equal(e.line, 1);
  assert.equal(e.diagnosis.errorType, 'connection_refused');
  assert.equal(e.diagnosis.layer, 'nginx');
  assert.deepEqual(
    e.fields.find(([k]) => k === 'errno'),
    ['errno', '111'],
  );
  assert.match(e.text, /could not open a connection/);
  assert.equal(explainLog('hello world'), null);
  assert.notEqual(explainLog(nginxLine, { lang: 'fr' }).text, e.text);

  const all = explainLogs(`not a log line\n${nginxLine}\n${fixture('logs/nginx/hang.log').split('\n')[0]}`);
  assert.deepEqual(
    all.map((l) => [l.line, l.diagnosis.errorType]),
    [
      [2, 'connection_refused'],
      [3, 'http_response_timeout'],
    ],
  );
});

test('explain: status codes, raw responses, log lines, pages; errors for the rest', () => {
  assert.equal(explain('502.3').kind, 'status');
  const response = explain(nginxRefused);
  assert.equal(response.kind, 'response');
  assert.equal(response.diagnosis.layer, 'nginx');
  assert.equal(response.texts.lang, 'en');
  const log = explain(nginxLine, { lang: 'ja' });
  assert.equal(log.kind, 'log');
  assert.equal(log.artefacts.length, 1);
  assert.equal(log.artefacts[0].log.text, explainLog(nginxLine, { lang: 'ja' }).text);
  assert.equal(log.texts.lang, 'ja');
  assert.equal(explain(parseRaw(nginxRefused).body).kind, 'page');
  assert.throws(() => explain('   '), { name: 'GatewiseInputError', code: 'empty' });
  assert.throws(() => explain('hello world'), { name: 'GatewiseInputError', code: 'not_recognised' });
});

test('explain: several artefacts in one paste, and a HAR file on the HTTP cycle', () => {
  const compose = `proxy-1  | ${nginxLine}\n\ncurl: (7) Failed to connect to 127.0.0.1 port 18100 after 0 ms: Connection refused`;
  const e = explain(`${nginxRefused.replace(/\r\n/g, '\n')}\n${compose}`, { lang: 'fr' });
  assert.deepEqual(
    e.artefacts.map((a) => [a.kind, a.diagnosis.layer, a.diagnosis.errorType ?? null, a.diagnosis.receivedStatus ?? null]),
    [
      ['response', 'nginx', 'connection_refused', 502],
      ['log', 'nginx', 'connection_refused', null],
      ['message', 'curl', 'connection_refused', null],
    ],
  );
  assert.equal(e.headline, 1);
  assert.deepEqual(e.artefacts[1].wrappers, ['compose']);
  assert.equal(e.artefacts[1].source, 'proxy-1');
  assert.equal(e.artefacts[0].title, describe(e.artefacts[0].diagnosis, { lang: 'fr' }).title);
  const har = explain(fixture('pastes/har/chromium-failures.devtools.har'));
  assert.equal(har.kind, 'har');
  assert.equal(har.notFailed, 7);
  assert.deepEqual(
    har.artefacts.map((a) => [a.exchange.error, a.exchange.failedPhase]),
    [
      ['net::ERR_CONNECTION_REFUSED', 'connect'],
      ['net::ERR_EMPTY_RESPONSE', 'wait'],
      ['net::ERR_SSL_PROTOCOL_ERROR', 'tls'],
      ['net::ERR_NAME_NOT_RESOLVED', 'dns'],
    ],
  );
  assert.deepEqual(
    har.artefacts[0].exchange.phases.map((p) => [p.phase, p.ms, p.failed]),
    [
      ['blocked', 16.9, false],
      ['dns', null, false],
      ['connect', null, true],
      ['tls', null, false],
      ['send', null, false],
      ['wait', null, false],
      ['receive', null, false],
    ],
  );
  assert.throws(() => explain(fixture('pastes/har/chromium-all-ok.devtools.har')), {
    name: 'GatewiseInputError',
    code: 'nothing_failed',
  });
});

test('describe, renderPage, problemDetails, proxyStatus', () => {
  const d = classifyResponse(parseRaw(nginxRefused));
  const fr = describe(d, { lang: 'fr' });
  assert.equal(fr.lang, 'fr');
  assert.equal(fr.code, '502 · connection_refused');
  assert.ok(fr.ownerAdvice.length > 0);

  const page = renderPage(d, { lang: 'ar', requestId: '<b>id</b>' });
  assert.ok(page.startsWith('<!doctype html>'));
  assert.ok(page.includes('<html lang="ar" dir="rtl">'));
  assert.ok(page.includes('&lt;b&gt;id&lt;/b&gt;'));
  assert.ok(!page.includes('<b>id</b>'));

  const problem = problemDetails(d, { requestId: 'abc 123' });
  assert.equal(problem.type, 'https://gatewise.dev/problems/connection_refused');
  assert.equal(problem.status, 502);
  assert.equal(problem.instance, 'urn:gatewise:request:abc%20123');
  assert.equal(problem.errorType, 'connection_refused');
  assert.equal(problem.evidence, undefined, 'no raw upstream facts without ownerDetails');
  assert.ok(problemDetails(d, { ownerDetails: true }).evidence.length > 0);

  assert.equal(proxyStatus(d), 'gatewise;error=connection_refused;received-status=502');
  assert.equal(proxyStatus(d, 'edge-1'), 'edge-1;error=connection_refused;received-status=502');
  assert.throws(() => renderPage({ status: 'x' }), TypeError);
});

test('retryDecision, backoffDelay, parseRetryAfter: the core policy', () => {
  const refused = classifyError(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }));
  const timeout = explainStatus('524');
  assert.equal(timeout.reached, 'maybe');
  assert.equal(retryDecision({ method: 'POST', diagnosis: refused, attempt: 1 }).retry, true);
  assert.deepEqual(retryDecision({ method: 'POST', diagnosis: timeout, attempt: 1 }), {
    retry: false,
    reason: 'may_have_reached_origin',
  });
  assert.deepEqual(retryDecision({ method: 'POST', diagnosis: explainStatus('503'), attempt: 1 }), {
    retry: false,
    reason: 'not_idempotent',
  });
  assert.deepEqual(retryDecision({ method: 'GET', diagnosis: timeout, attempt: 3 }), {
    retry: false,
    reason: 'attempts_exhausted',
  });
  assert.deepEqual(retryDecision({ method: 'PUT', diagnosis: refused, attempt: 1, bodyReplayable: false }), {
    retry: false,
    reason: 'body_not_replayable',
  });
  const a = retryDecision({ method: 'GET', diagnosis: refused, attempt: 2, seed: 42 });
  const b = retryDecision({ method: 'GET', diagnosis: refused, attempt: 2, seed: 42 });
  assert.deepEqual(a, b);
  assert.equal(a.source, 'backoff');
  assert.ok(a.afterMs <= 200);
  const waited = retryDecision({ method: 'GET', diagnosis: { ...timeout, retryAfter: 2 }, attempt: 1 });
  assert.deepEqual(waited, { retry: true, afterMs: 2000, source: 'retry_after' });
  const capped = retryDecision({
    method: 'GET',
    diagnosis: { ...timeout, retryAfter: 60 },
    attempt: 1,
    policy: { overMax: 'cap', maxRetryAfterMs: 3000 },
  });
  assert.deepEqual(capped, { retry: true, afterMs: 3000, source: 'retry_after_capped' });

  for (let n = 0; n < 8; n++) {
    const ms = backoffDelay(n, { baseDelayMs: 100, maxDelayMs: 1000 });
    assert.ok(ms >= 0 && ms <= Math.min(1000, 100 * 2 ** n), `${n}: ${ms}`);
  }
  assert.equal(backoffDelay(3, undefined, 7), backoffDelay(3, undefined, 7));

  const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
  assert.equal(parseRetryAfter('120', now), 120);
  assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:30:00 GMT', now), 120);
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter('-1', now), undefined);
  assert.equal(parseRetryAfter(null), undefined);
});

test('languages, limits, and the element module under Node', () => {
  const tags = languages().map((l) => l.tag);
  assert.equal(tags[0], 'en');
  assert.ok(tags.includes('ar') && tags.includes('zh-Hans'));
  assert.equal(languages().find((l) => l.tag === 'ar').dir, 'rtl');
  assert.equal(limits().maxBody, 16384);
  assert.equal(typeof GatewiseErrorElement.define, 'function');
  GatewiseErrorElement.define(); // no custom element registry here: a no-op
});

test('the live checks: messages, the verdict table, verdicts, and the page hook', () => {
  const de = messages('checks.', { lang: 'de-AT' });
  assert.equal(de.lang, 'de');
  assert.equal(de.dir, 'ltr');
  assert.equal(de.messages['checks.heading'], 'Liegt es an Ihnen oder an der Website?');
  assert.ok(Object.keys(de.messages).every((k) => k.startsWith('checks.')));
  assert.equal(messages('checks.', { lang: 'ar' }).dir, 'rtl');
  assert.throws(() => messages('x'), TypeError);

  const model = checksModel();
  assert.deepEqual(model.checks, ['browser', 'sites', 'dns', 'edge', 'origin', 'page', 'site']);
  assert.deepEqual(model.schedule, [1000, 5000, 30000, 60000, 300000, 600000, 1800000]);
  assert.equal(model.verdicts.at(-1).verdict, 'unclear');
  assert.deepEqual(model.verdicts.at(-1).when, []);
  assert.equal(model.timeoutMs, 2500);

  const all = { browser: 'ok', sites: 'ok', dns: 'ok', edge: 'ok' };
  assert.equal(checksVerdict({ ...all, origin: 'failed' }).verdict, 'origin_down');
  assert.equal(checksVerdict({ ...all, origin: 'timeout' }).verdict, 'origin_slow');
  // Only the address that failed answering again is a recovery, never the origin's root alone.
  const root = checksVerdict({ ...all, origin: 'ok' });
  assert.deepEqual([root.verdict, root.who, root.reload], ['origin_answers', 'unknown', false]);
  const fails = checksVerdict({ ...all, origin: 'ok', page: 'failed' });
  assert.deepEqual([fails.verdict, fails.who, fails.reload], ['page_fails', 'site', false]);
  const back = checksVerdict({ ...all, origin: 'ok', page: 'ok' }, { lang: 'fr' });
  assert.deepEqual([back.verdict, back.who, back.reload], ['recovered', 'nobody', true]);
  assert.equal(back.title, 'Le site fonctionne de nouveau');
  const off = checksVerdict({ browser: 'failed', sites: 'unknown', dns: 'unknown', edge: 'unknown', origin: 'unknown' });
  assert.deepEqual([off.verdict, off.who, off.waitOnline], ['offline', 'you', true]);
  assert.throws(() => checksVerdict({ browser: 'maybe' }), TypeError);

  // renderPage writes the cleaned configuration into <main data-gatewise-config> for the script.
  const html = renderPage(explainStatus('502'), {
    checksScript: '/__gatewise/checks.js',
    checks: { resolver: 'https://dns.example/q', sites: ['https://a.example/', 'javascript:x'], timeoutMs: 9000 },
  });
  const config = JSON.parse(
    html.match(/<main data-gatewise-config="([^"]*)">/)[1].replaceAll('&quot;', '"').replaceAll('&amp;', '&'),
  );
  assert.deepEqual(config.checks, { resolver: 'https://dns.example/q', sites: ['https://a.example/'], timeoutMs: 2500 });
  assert.equal(config.status, 502);
  assert.match(html, /<script src="\/__gatewise\/checks.js" defer><\/script>/);
  assert.ok(!renderPage(explainStatus('502')).includes('data-gatewise-config'));
});

test('plural categories: the core (ICU4X, CLDR) and Intl.PluralRules agree in every language', () => {
  const counts = [...Array(231).keys(), 1000, 1001, 100000, 1000000, 2000000, 1000001, 10 ** 9];
  let compared = 0;
  for (const { tag } of languages()) {
    const rules = new Intl.PluralRules(tag);
    const want = new Set(rules.resolvedOptions().pluralCategories);
    const seen = new Set();
    for (const n of counts) {
      const rust = pluralCategory(n, { lang: tag });
      assert.equal(rust, rules.select(n), `${tag} ${n}`);
      seen.add(rust);
      compared += 1;
    }
    // Every category of the language occurs among the counts (integers reach them all in these 8).
    assert.deepEqual([...seen].sort(), [...want].sort(), tag);
    // The plural messages carry exactly those categories.
    const m = messages('test.', { lang: tag });
    assert.deepEqual(Object.keys(m.plurals['test.seconds'].forms).sort(), [...want].sort(), tag);
    assert.equal(m.plurals['test.seconds'].select, 'seconds');
  }
  assert.equal(compared, languages().length * counts.length);
  assert.equal(pluralCategory(3, { lang: 'ar' }), 'few');
  assert.equal(pluralCategory(11, { lang: 'ar' }), 'many');
  assert.equal(pluralCategory('many', { lang: 'ar' }), 'other');
  assert.equal(pluralCategory('1.5', { lang: 'fr' }), 'other'); // whole numbers only
});

test("the status rule: the JavaScript that decides from statusRules() agrees with the core for every code", () => {
  const data = statusRules();
  assert.ok(data.some((r) => r.code === 502 && r.retryable && r.gatewayFailure));
  let gateway = 0;
  for (let code = 100; code < 600; code++) {
    const core = statusRule(code);
    assert.equal(core.code, code);
    assert.equal(isRetryableStatus(code), core.retryable, `retryable ${code}`);
    assert.equal(isGatewayFailure(code), core.gatewayFailure, `gateway failure ${code}`);
    if (core.gatewayFailure) gateway++;
  }
  assert.equal(gateway, 15);
  assert.equal(isRetryableStatus(500), false);
  assert.equal(isGatewayFailure('502'), false, 'a string is no status code');
});
