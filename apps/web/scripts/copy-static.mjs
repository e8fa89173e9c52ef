// After `next build`: the standalone server does not carry public/ and .next/static, so copy them
// next to apps/web/server.js where it serves them from.
import { cpSync, existsSync, rmSync } from "node:fs";
import path from "node:path";

const web = path.resolve(import.meta.dirname, "..");
const target = path.join(web, ".next/standalone/apps/web");
if (!existsSync(path.join(target, "server.js"))) {
  console.error(`copy-static: ${target}/server.js is missing; did next build run with output: "standalone"?`);
  process.exit(1);
}
for (const [from, to] of [
  ["public", "public"],
  [".next/static", ".next/static"],
]) {
  const src = path.join(web, from);
  const dest = path.join(target, to);
  rmSync(dest, { recursive: true, force: true });
  if (existsSync(src)) cpSync(src, dest, { recursive: true });
  console.log(`copy-static: ${from} -> ${path.relative(web, dest)}`);
}
