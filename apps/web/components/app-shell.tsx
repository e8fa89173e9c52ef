"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { type ReactNode, useState } from "react";
import { api } from "@/lib/api-client";
import { BrandMark } from "./brand";

const NAV = [
  { href: "/tasks", label: "Tasks" },
  { href: "/chat", label: "Assistant" },
  { href: "/settings", label: "Settings" },
];

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return (
    parts.length > 1 ? `${parts[0]?.[0]}${parts.at(-1)?.[0]}` : (parts[0]?.slice(0, 2) ?? "?")
  ).toUpperCase();
}

export function AppShell({ user, children }: { user: { name: string; email: string }; children: ReactNode }) {
  const pathname = usePathname();
  const [signingOut, setSigningOut] = useState(false);

  async function signOut() {
    setSigningOut(true);
    try {
      await api.auth.signOut();
    } finally {
      // A full page load, not a client navigation: it drops every in-memory trace of this user
      // (cached token, task list, chat thread) before someone else signs in on this browser.
      window.location.assign("/sign-in");
    }
  }

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <Link href="/tasks" className="brand" aria-label="Todo Chatbot, your tasks">
            <BrandMark />
            <span className="brand-name">Todo Chatbot</span>
          </Link>
          <nav aria-label="Main" className="main-nav">
            {NAV.map((item) => (
              <Link
                key={item.href}
                href={item.href}
                className="nav-link"
                aria-current={pathname.startsWith(item.href) ? "page" : undefined}
              >
                {item.label}
              </Link>
            ))}
          </nav>
          <div className="user-menu">
            <span className="avatar" aria-hidden="true">
              {initials(user.name || user.email)}
            </span>
            <span className="user-name" title={user.email}>
              {user.name || user.email}
            </span>
            <button type="button" className="button ghost small" onClick={signOut} disabled={signingOut}>
              {signingOut ? "Signing out…" : "Sign out"}
            </button>
          </div>
        </div>
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
