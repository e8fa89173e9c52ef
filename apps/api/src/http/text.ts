// What a stored string may hold. PostgreSQL `text` cannot store NUL (the insert fails, which used
// to surface as a 500), and a lone UTF-16 surrogate is not Unicode at all (it was stored replaced
// by U+FFFD, silently altered). Both are refused up front as a 400 that names the field.
import { z } from "@hono/zod-openapi";

/** Why `value` cannot be stored as text, or undefined when it can. */
export function textProblem(value: string): string | undefined {
  if (value.includes("\u0000")) return "must not contain NUL characters (\\u0000)";
  // In a /u regexp a paired surrogate is one code point; \p{Cs} matches only the lone ones.
  if (/\p{Cs}/u.test(value)) return "must not contain unpaired UTF-16 surrogates";
  return undefined;
}

/** A string schema that refuses what textProblem refuses. */
export const storableText = () =>
  z
    .string()
    .superRefine((value, ctx) => {
      const problem = textProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    // The document says it too (schemathesis holds the API to it); lone surrogates, which no
    // JSON Schema pattern can name without rejecting emoji as well, are left to the description.
    .openapi({ pattern: "^[^\\u0000]*$", description: "Text without NUL characters or unpaired surrogates" });

/**
 * Stored text that is trimmed and must not end up empty: "\f" or "   " is a 400 like "". The
 * document's pattern says so (one character that is neither whitespace nor NUL; U+FEFF is listed
 * because JavaScript's trim() removes it while Python's \s, which schemathesis generates by, does not).
 */
export const nonBlankText = (emptyMessage: string) =>
  storableText()
    .trim()
    .min(1, emptyMessage)
    .openapi({ pattern: "^[^\\u0000]*[^\\s\\u0000\\ufeff][^\\u0000]*$" });
