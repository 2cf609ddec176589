// fastify with its default logger + @fastify/http-proxy as its README shows it,
// with a 2 s request timeout towards the upstream.
import { dep, port, target, timeoutMs, host } from "./deps.mjs";

const Fastify = dep("fastify");
const proxy = dep("@fastify/http-proxy");
const app = Fastify({ logger: true });
app.register(proxy, { upstream: target, http: { requestOptions: { timeout: timeoutMs } } });
await app.listen({ port, host });
