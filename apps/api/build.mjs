// Bundles the API's own code into dist/main.js and dist/migrate.js (dependencies stay external and
// are installed as production node_modules), and copies the SQL migrations beside them.
import { cpSync, rmSync } from "node:fs";
import { build } from "esbuild";

rmSync("dist", { recursive: true, force: true });
await build({
  entryPoints: ["src/main.ts", "src/migrate.ts"],
  outdir: "dist",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  packages: "external",
  sourcemap: true,
  logLevel: "info",
});
cpSync("src/db/migrations", "dist/migrations", { recursive: true });
