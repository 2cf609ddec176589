// express + http-proxy-middleware as its README shows it, with a console logger
// (what webpack-dev-server and create-react-app pass) and a 2 s proxy timeout.
import { dep, port, target, timeoutMs, host } from "./deps.mjs";

const express = dep("express");
const { createProxyMiddleware } = dep("http-proxy-middleware");
const app = express();
app.use(
  "/",
  createProxyMiddleware({ target, changeOrigin: true, proxyTimeout: timeoutMs, logger: console }),
);
app.listen(port, host);
