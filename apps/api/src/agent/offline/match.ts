// Finds the tasks a name refers to: "groceries" → "Buy groceries", "the dentist one" →
// "Call the dentist". Exact titles win; otherwise every word of the name must match a word of
// the title (ignoring case, plurals and small typos).

export interface ListedTask {
  id: number;
  title: string;
  completed: boolean;
}

const STOP = new Set(["the", "a", "an", "my", "to", "of", "and", "for", "on", "in", "at", "with", "one"]);

function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\p{L}\p{N}\s]/gu, " ")
    .split(/\s+/)
    .filter((w) => w && !STOP.has(w));
}

function stem(word: string): string {
  return word
    .replace(/(?:ies)$/, "y")
    .replace(/(?:es|s)$/, "")
    .replace(/(?:ing|ed)$/, "");
}

// Levenshtein distance, kept by hand: this one loop over two short words is all a package would add.
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}

function wordMatches(query: string, title: string): boolean {
  if (query === title) return true;
  const q = stem(query);
  const t = stem(title);
  if (q === t) return true;
  if (q.length >= 4 && t.startsWith(q)) return true;
  return q.length >= 5 && editDistance(q, t) <= 1;
}

/** The tasks `name` refers to, best first; a single exact title match wins outright. */
export function matchTasks<T extends ListedTask>(name: string, tasks: T[]): T[] {
  const wanted = name.trim().toLowerCase();
  const exact = tasks.filter((t) => t.title.trim().toLowerCase() === wanted);
  if (exact.length > 0) return exact;
  const query = words(name);
  if (query.length === 0) return [];
  return tasks.filter((task) => {
    const titleWords = words(task.title);
    return query.every((q) => titleWords.some((t) => wordMatches(q, t)));
  });
}
