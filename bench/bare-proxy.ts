// The bound for the web app's /api proxy: a bare Node reverse proxy (node:http, keep-alive to the
// upstream, streaming both ways, hop-by-hop headers dropped) in front of the same API. Started by
// bench/run.ts: PORT, TARGET (the API's base URL).
import http from "node:http";

const target = new URL(process.env.TARGET ?? "http://127.0.0.1:8000");
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const HOP_BY_HOP = ["connection", "keep-alive", "transfer-encoding", "upgrade", "te", "trailer"];

const server = http.createServer((req, res) => {
  const headers: http.OutgoingHttpHeaders = { ...req.headers, host: target.host };
  for (const h of HOP_BY_HOP) delete headers[h];
  const upstream = http.request(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent },
    (up) => {
      const out: http.OutgoingHttpHeaders = { ...up.headers };
      for (const h of HOP_BY_HOP) delete out[h];
      res.writeHead(up.statusCode ?? 502, out);
      up.pipe(res);
    },
  );
  upstream.on("error", () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  req.pipe(upstream);
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), "127.0.0.1");
process.on("SIGTERM", () => server.close(() => process.exit(0)));
