// A fake Ollama for the cluster suite (the real image and model cannot be pulled here): the `ollama`
// executable of the image built from ./Dockerfile, run by Node's type stripping. `ollama serve` answers the
// HTTP API subset the chart and the backend use (GET / for the probes, /api/tags, /api/show, /api/pull,
// /api/version, /v1/models, /v1/chat/completions streamed or not, in the wire format of
// ../../support/openai-wire.ts, shared with the in-process fake); `list`, `show MODEL` and `pull MODEL`
// talk to $OLLAMA_HOST like the real CLI, which is what the chart's pull Job runs.
// The "model" is a tiny deterministic one: "add a task to X" / "add X" → a tool call add_task {title: X};
// after a tool result → "Added X (via fake-ollama)". Models are "pulled" into $OLLAMA_MODELS as manifest
// files, so a model exists only after a pull, and chat turns for a model not pulled answer 404 as Ollama does.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { homedir } from "node:os";
import { join } from "node:path";
import {
  type Answer,
  type ChatRequest,
  completion,
  readBody,
  sleep,
  streamCompletion,
  textOf,
} from "../../support/openai-wire.ts";

const VERSION = "0.12.6-fake";
const LAYER_BYTES = 4 * 1024 * 1024;

/** $OLLAMA_HOST as the real CLI reads it: [scheme://]host[:port], default 127.0.0.1:11434. */
function ollamaHost(): URL {
  const raw = process.env.OLLAMA_HOST?.trim() || "127.0.0.1:11434";
  const url = new URL(/^https?:\/\//.test(raw) ? raw : `http://${raw}`);
  if (!url.port) url.port = "11434";
  return url;
}

const modelsDir = () => process.env.OLLAMA_MODELS || join(homedir(), ".ollama", "models");
const libraryDir = () => join(modelsDir(), "manifests", "registry.ollama.ai", "library");

/** "qwen2.5:3b" → ["qwen2.5", "3b"]; no tag means "latest". */
function nameAndTag(model: string): [string, string] {
  const [name = "", tag = "latest"] = model.split(":");
  return [name, tag];
}
const canonical = (model: string) => nameAndTag(model).join(":");
const digestOf = (model: string) => createHash("sha256").update(canonical(model)).digest("hex");
const manifestPath = (model: string) => join(libraryDir(), ...nameAndTag(model));

function pulledModels(): { name: string; modified: Date }[] {
  if (!existsSync(libraryDir())) return [];
  return readdirSync(libraryDir()).flatMap((name) =>
    readdirSync(join(libraryDir(), name)).map((tag) => ({
      name: `${name}:${tag}`,
      modified: statSync(join(libraryDir(), name, tag)).mtime,
    })),
  );
}
const isPulled = (model: string) => existsSync(manifestPath(model));

function modelEntry(model: { name: string; modified: Date }) {
  return {
    name: model.name,
    model: model.name,
    modified_at: model.modified.toISOString(),
    size: LAYER_BYTES,
    digest: digestOf(model.name),
    details: { format: "gguf", family: "fake", parameter_size: "3B", quantization_level: "Q4_K_M" },
  };
}

/** The deterministic "model": what it answers to a Chat Completions request. */
function think(body: ChatRequest): Answer {
  const last = body.messages.at(-1);
  if (last?.role === "tool") {
    let title = "";
    try {
      title = String((JSON.parse(textOf(last.content)) as { title?: unknown }).title ?? "");
    } catch {
      title = "";
    }
    return { content: title ? `Added ${title} (via fake-ollama)` : "Done (via fake-ollama)" };
  }
  const said = textOf(body.messages.findLast((m) => m.role === "user")?.content).trim();
  const add = /^(?:please\s+)?add\s+(?:a\s+task\s+(?:to\s+)?)?(.+?)[.!]?$/i.exec(said);
  if (add?.[1] && body.tools?.some((t) => t.function.name === "add_task")) {
    return { toolCalls: [{ name: "add_task", arguments: { title: add[1] } }] };
  }
  return { content: `You said: ${said} (via fake-ollama)` };
}

function describe(answer: Answer) {
  return "toolCalls" in answer
    ? `tool_calls ${answer.toolCalls.map((c) => `${c.name} ${JSON.stringify(c.arguments)}`).join(", ")}`
    : `text ${JSON.stringify(answer.content)}`;
}

async function pull(model: string, stream: boolean, res: ServerResponse) {
  const digest = `sha256:${digestOf(model)}`;
  const lines: Record<string, unknown>[] = [{ status: "pulling manifest" }];
  for (const part of [0, 1, 2, 3, 4]) {
    lines.push({
      status: `pulling ${digest.slice(7, 19)}`,
      digest,
      total: LAYER_BYTES,
      completed: (LAYER_BYTES / 4) * part,
    });
  }
  lines.push({ status: "verifying sha256 digest" }, { status: "writing manifest" }, { status: "success" });
  if (stream) res.writeHead(200, { "content-type": "application/x-ndjson" });
  for (const line of lines) {
    if (line.status === "writing manifest") {
      mkdirSync(join(manifestPath(model), ".."), { recursive: true });
      writeFileSync(
        manifestPath(model),
        `${JSON.stringify({ schemaVersion: 2, layers: [{ digest, size: LAYER_BYTES }] })}\n`,
      );
    }
    if (stream) {
      res.write(`${JSON.stringify(line)}\n`);
      await sleep(100);
    }
  }
  if (!stream) res.writeHead(200, { "content-type": "application/json" });
  res.end(stream ? undefined : JSON.stringify({ status: "success" }));
}

async function handle(req: IncomingMessage, res: ServerResponse) {
  const json = (status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(body));
  };
  const route = `${req.method} ${new URL(req.url ?? "/", "http://x").pathname}`;
  if (route === "GET /" || route === "HEAD /") {
    res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
    return res.end(req.method === "HEAD" ? undefined : "Ollama is running");
  }
  if (route === "GET /api/version") return json(200, { version: VERSION });
  if (route === "GET /api/tags") return json(200, { models: pulledModels().map(modelEntry) });
  if (route === "GET /v1/models") {
    return json(200, {
      object: "list",
      data: pulledModels().map((m) => ({
        id: m.name,
        object: "model",
        created: Math.floor(m.modified.getTime() / 1000),
        owned_by: "library",
      })),
    });
  }
  if (route === "POST /api/show" || route === "POST /api/pull") {
    const body = JSON.parse((await readBody(req)) || "{}") as {
      model?: string;
      name?: string;
      stream?: boolean;
    };
    const model = canonical(body.model ?? body.name ?? "");
    if (route === "POST /api/pull") return pull(model, body.stream !== false, res);
    if (!isPulled(model)) return json(404, { error: `model '${model}' not found` });
    return json(200, {
      modelfile: `FROM ${model}\n`,
      parameters: "",
      template: "{{ .Prompt }}",
      details: modelEntry({ name: model, modified: new Date() }).details,
      model_info: { "general.architecture": "fake", "general.parameter_count": 3_000_000_000 },
      capabilities: ["completion", "tools"],
    });
  }
  if (route === "POST /v1/chat/completions") {
    const body = JSON.parse(await readBody(req)) as ChatRequest;
    if (!isPulled(body.model)) {
      const message = `model "${body.model}" not found, try pulling it first`;
      return json(404, { error: { message, type: "api_error", param: null, code: null } });
    }
    const answer = think(body);
    console.log(
      `fake-ollama: chat model=${body.model} stream=${body.stream === true} messages=${body.messages.length} tools=${body.tools?.length ?? 0} -> ${describe(answer)}`,
    );
    if (body.stream) return void (await streamCompletion(res, answer, body));
    return json(200, completion(answer, body.model));
  }
  res.writeHead(404, { "content-type": "text/plain" });
  res.end("404 page not found");
}

function serve() {
  const host = ollamaHost();
  const server = createServer((req, res) => {
    const started = performance.now();
    res.on("finish", () => {
      const ms = (performance.now() - started).toFixed(1);
      console.log(
        `[GIN] ${new Date().toISOString()} | ${res.statusCode} | ${ms}ms | ${req.socket.remoteAddress} | ${req.method} "${req.url}"`,
      );
    });
    handle(req, res).catch((error: unknown) => {
      console.error(`fake-ollama: ${req.method} ${req.url}: ${error}`);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: String(error) }));
    });
  });
  const stop = () => server.close(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  server.listen(Number(host.port), host.hostname, () => {
    console.log(`Listening on ${host.host} (version ${VERSION}); models in ${modelsDir()}`);
  });
}

/** A client call to the server at $OLLAMA_HOST; exits 1 as the real CLI does when nothing answers. */
async function call(method: string, path: string, body?: unknown): Promise<Response> {
  const url = new URL(path, ollamaHost());
  try {
    return await fetch(url, {
      method,
      headers: body ? { "content-type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch {
    console.error("Error: could not connect to ollama server, run 'ollama serve' to start it");
    process.exit(1);
  }
}

async function failed(res: Response): Promise<never> {
  const text = await res.text();
  let message = text;
  try {
    message = String((JSON.parse(text) as { error?: unknown }).error ?? text);
  } catch {
    message = text;
  }
  console.error(`Error: ${message}`);
  process.exit(1);
}

async function main(args: string[]) {
  const [command, model] = args;
  if (command === "serve") return serve();
  if (command === "-v" || command === "--version") return console.log(`ollama version is ${VERSION}`);
  if (command === "list" || command === "ls") {
    const res = await call("GET", "/api/tags");
    if (!res.ok) return failed(res);
    const { models } = (await res.json()) as { models: ReturnType<typeof modelEntry>[] };
    console.log(["NAME", "ID", "SIZE", "MODIFIED"].join("\t"));
    for (const m of models) {
      console.log([m.name, m.digest.slice(0, 12), `${m.size / 1024 / 1024} MB`, m.modified_at].join("\t"));
    }
    return;
  }
  if ((command === "show" || command === "pull") && model) {
    if (command === "show") {
      const res = await call("POST", "/api/show", { model });
      if (!res.ok) return failed(res);
      const shown = (await res.json()) as { details: Record<string, string>; capabilities: string[] };
      console.log(
        `  Model\n    architecture    ${shown.details.family}\n    parameters      ${shown.details.parameter_size}`,
      );
      console.log(`  Capabilities\n${shown.capabilities.map((c) => `    ${c}`).join("\n")}`);
      return;
    }
    const res = await call("POST", "/api/pull", { model, stream: true });
    if (!res.ok || !res.body) return failed(res);
    let rest = "";
    for await (const chunk of res.body.pipeThrough(new TextDecoderStream())) {
      rest += chunk;
      const lines = rest.split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines.filter(Boolean)) {
        const p = JSON.parse(line) as { status: string; error?: string; total?: number; completed?: number };
        if (p.error) {
          console.error(`Error: ${p.error}`);
          process.exit(1);
        }
        const progress = p.total ? ` ${Math.round(((p.completed ?? 0) / p.total) * 100)}%` : "";
        console.log(`${p.status}${progress}`);
      }
    }
    return;
  }
  console.error("Usage: ollama serve | list | show MODEL | pull MODEL | --version  (fake-ollama)");
  process.exit(1);
}

await main(process.argv.slice(2));
