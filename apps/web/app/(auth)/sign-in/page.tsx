import type { Metadata } from "next";
import { AuthForm } from "@/components/auth-form";
import { redirectIfSignedIn } from "@/lib/redirect-if-signed-in";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage() {
  await redirectIfSignedIn();
  return <AuthForm mode="sign-in" />;
}
