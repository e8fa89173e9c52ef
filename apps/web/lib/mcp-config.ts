// Ready-to-paste MCP client configurations for a personal API key (Settings → API keys).

/** The in-cluster address kagent uses (deploy/kagent/remotemcpserver.yaml, release todo-chatbot). */
export const KAGENT_MCP_URL = "http://todo-chatbot-backend.todo-chatbot:8000/mcp";

/** Desktop clients that speak streamable HTTP (Claude Code, Cursor, VS Code, Windsurf…). */
export function desktopConfig(mcpUrl: string, key: string): string {
  return JSON.stringify(
    {
      mcpServers: {
        "todo-chatbot": { type: "http", url: mcpUrl, headers: { Authorization: `Bearer ${key}` } },
      },
    },
    null,
    2,
  );
}

/** Desktop clients that only start local (stdio) servers, e.g. Claude Desktop: through mcp-remote. */
export function stdioBridgeConfig(mcpUrl: string, key: string): string {
  return JSON.stringify(
    {
      mcpServers: {
        "todo-chatbot": {
          command: "npx",
          args: ["-y", "mcp-remote", mcpUrl, "--header", `Authorization:Bearer ${key}`],
        },
      },
    },
    null,
    2,
  );
}

/** kagent: the Secret the RemoteMCPServer reads its Authorization header from, then the manifest. */
export function kagentConfig(key: string): string {
  return `kubectl -n kagent create secret generic todo-ops-mcp-auth \\
  --from-literal=authorization='Bearer ${key}'
kubectl apply -n kagent -f - <<'YAML'
apiVersion: kagent.dev/v1alpha2
kind: RemoteMCPServer
metadata:
  name: todo-chatbot-mcp
spec:
  description: Todo Chatbot tasks of the API key's owner (add, list, complete, delete, update).
  url: ${KAGENT_MCP_URL}
  protocol: STREAMABLE_HTTP
  timeout: 30s
  headersFrom:
    - name: Authorization
      valueFrom:
        type: Secret
        name: todo-ops-mcp-auth
        key: authorization
YAML
# or, from a clone of this repository: TODO_MCP_API_KEY='${key}' make kagent-install`;
}
