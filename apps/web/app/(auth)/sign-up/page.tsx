import type { Metadata } from "next";
import { AuthForm } from "@/components/auth-form";
import { redirectIfSignedIn } from "@/lib/redirect-if-signed-in";

export const metadata: Metadata = { title: "Create your account" };

export default async function SignUpPage() {
  await redirectIfSignedIn();
  return <AuthForm mode="sign-up" />;
}
