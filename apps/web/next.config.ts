import path from "node:path";
import type { NextConfig } from "next";

// The repository root: standalone output traces the hoisted node_modules of the npm workspace from
// there, so the server lands at .next/standalone/apps/web/server.js.
const repoRoot = path.resolve(import.meta.dirname, "../..");

const nextConfig: NextConfig = {
  output: "standalone",
  outputFileTracingRoot: repoRoot,
  turbopack: { root: repoRoot },
  poweredByHeader: false,
  reactStrictMode: true,
  // No rewrites to the backend: the front door (server/api-proxy.mjs) forwards /api/* and /mcp to
  // API_URL read at run time, before Next's router, so one build serves every environment.
  async headers() {
    return [
      {
        // Pages only (/api/* and /mcp never reach Next: they pass through as the backend sent them).
        source: "/((?!api/).*)",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
        ],
      },
    ];
  },
};

export default nextConfig;
