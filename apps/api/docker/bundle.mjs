// The API build (`npm run build -w apps/api`, and apps/api/Dockerfile): dist/main.js, dist/migrate.js
// and dist/migrations/, with the dependencies bundled too, so the image carries ~8 MB of code instead
// of ~100 MB of node_modules, and every run — local, bench, image — starts the same code (unbundled,
// drizzle-orm alone cost ~1 s and ~200 MB at start-up: docs/performance.md). Only the packages in
// externals.json stay external (files they load by path, worker threads, optional native addons) and
// are installed as production node_modules. Dynamic imports become their own chunks, loaded on use.
// Usage (from apps/api, esbuild installed): node docker/bundle.mjs
import { cpSync, readFileSync, rmSync } from "node:fs";
import { builtinModules } from "node:module";
import { build } from "esbuild";

const config = JSON.parse(readFileSync(new URL("./externals.json", import.meta.url), "utf8"));
const external = [...config.external, ...config.optional];

rmSync("dist", { recursive: true, force: true });
const result = await build({
  entryPoints: ["src/main.ts", "src/migrate.ts"],
  outdir: "dist",
  bundle: true,
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node22",
  external,
  // CommonJS dependencies call require(); give the ESM bundle a real one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  // chunks stay in dist/ itself: modules resolve files (./migrations) relative to their own URL
  chunkNames: "[name]-[hash]",
  legalComments: "eof",
  metafile: true,
  logLevel: "warning",
});
cpSync("src/db/migrations", "dist/migrations", { recursive: true });

// Every import left in the output must be a Node built-in or a declared external.
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const allowed = (path) =>
  builtins.has(path) ||
  path.startsWith("node:") ||
  external.some((e) => path === e || path.startsWith(`${e}/`));
const stray = new Set();
for (const output of Object.values(result.metafile.outputs)) {
  for (const imp of output.imports) if (imp.external && !allowed(imp.path)) stray.add(imp.path);
}
if (stray.size) {
  console.error(
    `bundle: unexpected external imports: ${[...stray].join(", ")} (add them to externals.json?)`,
  );
  process.exit(1);
}
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`bundle: dist/ ${(bytes / 1e6).toFixed(1)} MB; external: ${config.external.join(", ")}`);
