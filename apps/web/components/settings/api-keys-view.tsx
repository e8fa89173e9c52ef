"use client";

import { type FormEvent, useCallback, useEffect, useId, useState } from "react";
import { api } from "@/lib/api-client";
import { fullDate, timeAgo } from "@/lib/format";
import { desktopConfig, kagentConfig, stdioBridgeConfig } from "@/lib/mcp-config";
import { handleAuthError } from "@/lib/tasks-store";
import type { ApiKey, CreatedApiKey } from "@/lib/types";
import { ConfirmDialog } from "../confirm-dialog";

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : "Something went wrong.";
}

/** A block of text with a Copy button (the clipboard needs a secure context; else select and copy). */
function CopyBlock({ label, text }: { label: string; text: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      setState("failed");
    }
    setTimeout(() => setState("idle"), 2500);
  }
  return (
    <div className="copy-block">
      <div className="copy-block-header">
        <span className="copy-block-label">{label}</span>
        <button
          type="button"
          className="button ghost small"
          onClick={() => void copy()}
          aria-label={`Copy ${label}`}
        >
          {state === "copied" ? "Copied ✓" : state === "failed" ? "Select and press Ctrl+C" : "Copy"}
        </button>
      </div>
      <pre>
        <code>{text}</code>
      </pre>
    </div>
  );
}

function CreatedKey({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  const mcpUrl = `${window.location.origin}/mcp`;
  const [tab, setTab] = useState<"desktop" | "stdio" | "kagent">("desktop");
  const tabs = [
    { id: "desktop", label: "Desktop MCP clients" },
    { id: "stdio", label: "Claude Desktop (stdio)" },
    { id: "kagent", label: "kagent" },
  ] as const;
  return (
    <section className="card created-key" aria-labelledby="created-key-title">
      <h2 id="created-key-title">Your new key “{created.name}”</h2>
      <p className="muted">
        Copy it now: it is shown only this once. It acts as you on the MCP server at <code>{mcpUrl}</code> and
        nowhere else.
      </p>
      <CopyBlock label="API key" text={created.key} />
      <div className="tabs" role="tablist" aria-label="MCP client configuration">
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            className={`tab${tab === t.id ? " is-active" : ""}`}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel">
        {tab === "desktop" && (
          <CopyBlock
            label="MCP client configuration (streamable HTTP)"
            text={desktopConfig(mcpUrl, created.key)}
          />
        )}
        {tab === "stdio" && (
          <CopyBlock
            label="claude_desktop_config.json (through mcp-remote)"
            text={stdioBridgeConfig(mcpUrl, created.key)}
          />
        )}
        {tab === "kagent" && <CopyBlock label="kagent RemoteMCPServer" text={kagentConfig(created.key)} />}
      </div>
      <button type="button" className="button primary" onClick={onDone}>
        I've saved it
      </button>
    </section>
  );
}

export function ApiKeysView() {
  const id = useId();
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [revokeBusy, setRevokeBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const list = await api.apiKeys.list();
      setKeys([...list].sort((a, b) => b.createdAt.localeCompare(a.createdAt)));
      setLoadError(null);
    } catch (error) {
      handleAuthError(error);
      setLoadError(messageOf(error));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  async function create(event: FormEvent) {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed || creating) return;
    setCreating(true);
    setCreateError(null);
    try {
      setCreated(await api.apiKeys.create(trimmed));
      setName("");
      await load();
    } catch (error) {
      handleAuthError(error);
      setCreateError(messageOf(error));
    } finally {
      setCreating(false);
    }
  }

  async function revoke() {
    if (!revoking) return;
    setRevokeBusy(true);
    try {
      await api.apiKeys.revoke(revoking.id);
      if (created?.id === revoking.id) setCreated(null);
      setRevoking(null);
      await load();
    } catch (error) {
      handleAuthError(error);
      setLoadError(messageOf(error));
      setRevoking(null);
    } finally {
      setRevokeBusy(false);
    }
  }

  return (
    <div className="page settings-page">
      <div className="page-header">
        <div>
          <h1>Settings</h1>
          <p className="muted">
            Personal API keys let MCP clients — kagent, Claude, Cursor, VS Code — manage your tasks with the
            same tools the assistant uses.
          </p>
        </div>
      </div>

      {created && <CreatedKey created={created} onDone={() => setCreated(null)} />}

      <section className="card" aria-labelledby={`${id}-keys`}>
        <h2 id={`${id}-keys`}>API keys</h2>
        <form className="composer-row" onSubmit={create}>
          <label htmlFor={`${id}-name`} className="visually-hidden">
            Key name
          </label>
          <input
            id={`${id}-name`}
            placeholder="Name, e.g. laptop or kagent"
            value={name}
            maxLength={64}
            onChange={(event) => setName(event.target.value)}
          />
          <button type="submit" className="button primary" disabled={creating || !name.trim()}>
            {creating ? "Creating…" : "Create key"}
          </button>
        </form>
        {createError && (
          <p className="form-error" role="alert">
            {createError}
          </p>
        )}
        {loadError && (
          <p className="form-error" role="alert">
            {loadError}{" "}
            <button type="button" className="link-button" onClick={() => void load()}>
              Retry
            </button>
          </p>
        )}
        {keys === null && !loadError ? (
          <p className="muted small">Loading…</p>
        ) : keys?.length === 0 ? (
          <p className="muted small">No keys yet.</p>
        ) : (
          <table className="keys-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys?.map((key) => (
                <tr key={key.id} data-key-id={key.id}>
                  <td>{key.name || "Unnamed"}</td>
                  <td>
                    <code>{key.start ? `${key.start}…` : "••••"}</code>
                  </td>
                  <td title={fullDate(key.createdAt)}>{timeAgo(key.createdAt)}</td>
                  <td title={key.lastRequest ? fullDate(key.lastRequest) : undefined} data-last-used>
                    {key.lastRequest ? timeAgo(key.lastRequest) : "Never"}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button ghost small"
                      onClick={() => setRevoking(key)}
                      aria-label={`Revoke “${key.name || "Unnamed"}”`}
                    >
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <ConfirmDialog
        open={revoking !== null}
        title="Revoke this key?"
        message={`Clients using “${revoking?.name || "Unnamed"}” stop working at once. This cannot be undone.`}
        confirmLabel="Revoke"
        busy={revokeBusy}
        onConfirm={() => void revoke()}
        onCancel={() => setRevoking(null)}
      />
    </div>
  );
}
