import Link from "next/link";

export default function NotFound() {
  return (
    <main className="centered-page">
      <div className="card message-card">
        <h1>Page not found</h1>
        <p className="muted">That page doesn't exist.</p>
        <Link className="button primary" href="/tasks">
          Go to your tasks
        </Link>
      </div>
    </main>
  );
}
