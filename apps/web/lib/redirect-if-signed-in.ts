import { redirect } from "next/navigation";
import { getSession } from "./session";

/** Sign-in and sign-up pages send a signed-in visitor straight to their tasks. */
export async function redirectIfSignedIn(): Promise<void> {
  let signedIn = false;
  try {
    signedIn = (await getSession()) !== null;
  } catch {
    // API down: show the form anyway; submitting it will report the problem.
  }
  if (signedIn) redirect("/tasks");
}
