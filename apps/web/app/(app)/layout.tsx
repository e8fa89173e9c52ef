import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { AppShell } from "@/components/app-shell";
import { getSession } from "@/lib/session";

// Everything under (app) needs a signed-in user; the check asks the backend on each request.
export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const session = await getSession();
  if (!session) redirect("/sign-in");
  return <AppShell user={{ name: session.user.name, email: session.user.email }}>{children}</AppShell>;
}
