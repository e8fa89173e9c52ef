"use client";

export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <main className="centered-page">
      <div className="card message-card" role="alert">
        <h1>Something went wrong</h1>
        <p className="muted">
          This page couldn't load. The server may be unreachable for a moment; trying again usually helps.
        </p>
        <button type="button" className="button primary" onClick={reset}>
          Try again
        </button>
      </div>
    </main>
  );
}
