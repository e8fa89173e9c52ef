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
          {error.name === "BackendUnavailableError" || error.message.includes("unreachable")
            ? "We can't reach the server right now. Check that the API is running, then try again."
            : "An unexpected error stopped this page from loading."}
        </p>
        <button type="button" className="button primary" onClick={reset}>
          Try again
        </button>
      </div>
    </main>
  );
}
