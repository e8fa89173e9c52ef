import type { ReactNode } from "react";
import { Brand } from "@/components/brand";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="auth-page">
      <section className="auth-hero" aria-hidden="true">
        <Brand />
        <p className="auth-hero-title">Plan your day by talking to it.</p>
        <ul className="auth-hero-points">
          <li>“Add a task to buy milk”</li>
          <li>“What’s still pending?”</li>
          <li>“Mark task 3 as complete”</li>
        </ul>
      </section>
      <section className="auth-panel">{children}</section>
    </main>
  );
}
