"use client";

import Link from "next/link";
import { type FormEvent, useId, useState } from "react";
import { api } from "@/lib/api-client";

type Mode = "sign-in" | "sign-up";

const COPY: Record<Mode, { title: string; subtitle: string; submit: string; busy: string }> = {
  "sign-in": {
    title: "Welcome back",
    subtitle: "Sign in to pick up where you left off.",
    submit: "Sign in",
    busy: "Signing in…",
  },
  "sign-up": {
    title: "Create your account",
    subtitle: "It takes ten seconds. No credit card, no nonsense.",
    submit: "Create account",
    busy: "Creating account…",
  },
};

export function AuthForm({ mode }: { mode: Mode }) {
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const copy = COPY[mode];

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    setBusy(true);
    setError(null);
    try {
      if (mode === "sign-up") {
        await api.auth.signUp({ name: String(form.get("name") ?? "").trim(), email, password });
      } else {
        await api.auth.signIn({ email, password });
      }
      // A full page load starts the signed-in app with empty client state.
      window.location.assign("/tasks");
    } catch (err) {
      setError(err instanceof Error ? err.message : "Something went wrong. Please try again.");
      setBusy(false);
    }
  }

  return (
    <div className="card auth-card">
      <h1>{copy.title}</h1>
      <p className="muted">{copy.subtitle}</p>
      <form className="stack" onSubmit={onSubmit} aria-describedby={error ? `${id}-error` : undefined}>
        {mode === "sign-up" && (
          <div className="field">
            <label htmlFor={`${id}-name`}>Name</label>
            <input id={`${id}-name`} name="name" type="text" autoComplete="name" required maxLength={100} />
          </div>
        )}
        <div className="field">
          <label htmlFor={`${id}-email`}>Email</label>
          <input id={`${id}-email`} name="email" type="email" autoComplete="email" required />
        </div>
        <div className="field">
          <label htmlFor={`${id}-password`}>Password</label>
          <input
            id={`${id}-password`}
            name="password"
            type="password"
            autoComplete={mode === "sign-up" ? "new-password" : "current-password"}
            minLength={8}
            required
            aria-describedby={mode === "sign-up" ? `${id}-password-hint` : undefined}
          />
          {mode === "sign-up" && (
            <p id={`${id}-password-hint`} className="hint">
              At least 8 characters.
            </p>
          )}
        </div>
        {error && (
          <p id={`${id}-error`} className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button primary block" disabled={busy}>
          {busy ? copy.busy : copy.submit}
        </button>
      </form>
      <p className="auth-switch">
        {mode === "sign-in" ? (
          <>
            New here? <Link href="/sign-up">Create an account</Link>
          </>
        ) : (
          <>
            Already have an account? <Link href="/sign-in">Sign in</Link>
          </>
        )}
      </p>
    </div>
  );
}
