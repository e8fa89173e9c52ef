// The only reader of process.env. A bad value stops start-up with one line naming the variable.
import { z } from "zod";
import { trustedProxyList } from "./http/client-address.js";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const url = z.string().refine((v) => URL.canParse(v), "must be an absolute URL (e.g. http://localhost:3000)");

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(0).max(65535).default(8000),
    PUBLIC_URL: url.default("http://localhost:3000"),
    DATABASE_URL: z
      .string()
      .refine((v) => /^postgres(ql)?:\/\//.test(v), "must start with postgres:// or postgresql://")
      .optional(),
    DATA_DIR: z.string().min(1).default("./.data"),
    DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    BETTER_AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    TRUSTED_ORIGINS: z
      .string()
      .default("")
      .transform((v) =>
        v
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(10),
    // Peers whose X-Forwarded-For is believed (the web proxy, an ingress): addresses or CIDRs.
    TRUSTED_PROXIES: z
      .string()
      .default("127.0.0.0/8,::1")
      .transform((v, ctx) => {
        const entries = v
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean);
        try {
          trustedProxyList(entries);
        } catch (err) {
          ctx.addIssue({
            code: "custom",
            message: `must list IP addresses or CIDRs: ${(err as Error).message}`,
          });
        }
        return entries;
      }),
    AGENT_MODE: z.enum(["auto", "online", "offline"]).default("auto"),
    OPENAI_API_KEY: z.string().min(1).optional(),
    LLM_BASE_URL: url.optional(),
    LLM_MODEL: z.string().min(1).default("gpt-4o-mini"),
    LLM_TIMEOUT_MS: z.coerce.number().int().min(100).default(30000),
    // Agent traces go to OpenAI's tracing backend (with OPENAI_API_KEY): only when asked, online only.
    AGENT_TRACING: bool.default(false),
    CHAT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(20),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    MIGRATE_ON_START: bool.default(true),
    SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).optional(),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10000),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production" && !env.BETTER_AUTH_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["BETTER_AUTH_SECRET"],
        message: "is required (at least 32 characters) when NODE_ENV=production",
      });
    }
    if (env.AGENT_MODE === "online" && !env.OPENAI_API_KEY && !env.LLM_BASE_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["AGENT_MODE"],
        message: "is online but neither OPENAI_API_KEY nor LLM_BASE_URL is set",
      });
    }
  });

export type Config = Omit<z.output<typeof schema>, "SHUTDOWN_DELAY_MS"> & { SHUTDOWN_DELAY_MS: number };

export class ConfigError extends Error {}

/** Parses an environment (process.env by default). Throws ConfigError with one line naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset" (Kubernetes and Compose often pass VAR="").
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = String(issue?.path[0] ?? "environment");
    const value = cleaned[name];
    const shown = value === undefined || /SECRET|KEY|URL$/.test(name) ? "" : ` (got "${value}")`;
    throw new ConfigError(`invalid configuration: ${name} ${issue?.message ?? "is invalid"}${shown}`);
  }
  const cfg = result.data;
  return {
    ...cfg,
    // Kubernetes removes a terminating pod from endpoints asynchronously: keep serving briefly.
    SHUTDOWN_DELAY_MS: cfg.SHUTDOWN_DELAY_MS ?? (cfg.NODE_ENV === "production" ? 5000 : 0),
  };
}
