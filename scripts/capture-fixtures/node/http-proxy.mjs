// http-proxy as its README's first example uses it: createProxyServer + listen,
// and no "error" listener (so an upstream error is http-proxy's own default).
import { dep, port, target, timeoutMs, host } from "./deps.mjs";

const httpProxy = dep("http-proxy");
httpProxy.createProxyServer({ target, proxyTimeout: timeoutMs }).listen(port, host);
