// express + express-http-proxy as its README shows it, with a 2 s timeout;
// errors go to express's default error handler.
import { dep, port, target, timeoutMs, host } from "./deps.mjs";

const express = dep("express");
const proxy = dep("express-http-proxy");
const app = express();
app.use("/", proxy(target, { timeout: timeoutMs }));
app.listen(port, host);
