import type { Metadata } from "next";
import { ApiKeysView } from "@/components/settings/api-keys-view";

export const metadata: Metadata = { title: "Settings" };

export default function SettingsPage() {
  return <ApiKeysView />;
}
