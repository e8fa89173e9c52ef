// Prunes an npm-workspaces node_modules down to what one workspace needs at run time.
// Usage (image build only, from the folder holding node_modules):
//   node prune-deps.mjs apps/api                 keep the run-time closure of the workspace's dependencies
//   node prune-deps.mjs apps/api pino pg ...     keep only the closure of the named packages (resolved
//                                                from the workspace; names that are not installed are skipped)
//   node prune-deps.mjs apps/api externals.json  the same, with the names from the file's "external" list
//
// Why: `npm ci --omit=dev --workspace apps/api` installs the api's dependency tree, but npm follows
// *optional* peer dependencies to packages other workspaces installed (better-auth declares next,
// react, drizzle-kit... as optional peers), which drags the web app's Next.js into the API image.
// This walks the closure the way Node resolves it — dependencies, optionalDependencies and the
// non-optional peerDependencies of every reached package, nested node_modules first — and deletes
// every package outside it, plus .bin folders (nothing is run from a bin at run time).
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

const workspace = path.resolve(process.argv[2] ?? ".");
const top = path.resolve("node_modules");
const keep = new Set();

function resolvePackage(fromDir, name) {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name);
    if (existsSync(path.join(candidate, "package.json"))) return candidate;
    if (path.dirname(dir) === dir) return null;
  }
}

function visit(pkgDir) {
  const manifest = JSON.parse(readFileSync(path.join(pkgDir, "package.json"), "utf8"));
  const optionalPeer = (name) => manifest.peerDependenciesMeta?.[name]?.optional === true;
  const wanted = [
    ...Object.keys(manifest.dependencies ?? {}).map((name) => [name, false]),
    ...Object.keys(manifest.optionalDependencies ?? {}).map((name) => [name, true]),
    ...Object.keys(manifest.peerDependencies ?? {})
      .filter((name) => !optionalPeer(name))
      .map((name) => [name, false]),
  ];
  for (const [name, optional] of wanted) {
    const dir = resolvePackage(pkgDir, name);
    if (!dir) {
      if (!optional) console.warn(`prune-deps: ${name} (needed by ${manifest.name}) is not installed`);
      continue;
    }
    if (keep.has(dir)) continue;
    keep.add(dir);
    visit(dir);
  }
}

// Every package folder under a node_modules folder (scoped ones included), nested ones too.
function* packagesIn(nodeModules) {
  if (!existsSync(nodeModules)) return;
  for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
    if (entry.name === ".bin" || entry.name.startsWith(".")) continue;
    const full = path.join(nodeModules, entry.name);
    if (entry.name.startsWith("@") && entry.isDirectory()) {
      for (const scoped of readdirSync(full, { withFileTypes: true })) yield path.join(full, scoped.name);
    } else {
      yield full;
    }
  }
}

const roots = process.argv
  .slice(3)
  .flatMap((arg) => (arg.endsWith(".json") ? JSON.parse(readFileSync(arg, "utf8")).external : [arg]));
if (roots.length === 0) {
  visit(workspace);
} else {
  for (const name of roots) {
    const dir = resolvePackage(workspace, name);
    if (!dir || keep.has(dir)) continue;
    keep.add(dir);
    visit(dir);
  }
}
let removed = 0;
const walk = (nodeModules) => {
  rmSync(path.join(nodeModules, ".bin"), { recursive: true, force: true });
  for (const dir of packagesIn(nodeModules)) {
    if (keep.has(dir)) {
      walk(path.join(dir, "node_modules"));
    } else {
      rmSync(dir, { recursive: true, force: true });
      removed++;
    }
  }
  // drop scope folders left empty
  for (const entry of existsSync(nodeModules) ? readdirSync(nodeModules) : []) {
    const full = path.join(nodeModules, entry);
    if (entry.startsWith("@") && readdirSync(full).length === 0) rmSync(full, { recursive: true });
  }
};
walk(top);
console.log(`prune-deps: kept ${keep.size} packages, removed ${removed}`);
