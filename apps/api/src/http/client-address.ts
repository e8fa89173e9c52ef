// The address of the client behind a request. The socket's peer is the client unless it is one of
// TRUSTED_PROXIES (the web app's /api proxy, an ingress): only then is X-Forwarded-For believed,
// read from the right, skipping further trusted hops. Anything a client writes into that header
// itself sits to the left of what our proxy appended, so it is never taken for the address.
import { BlockList, isIP } from "node:net";

/** A BlockList of addresses and CIDRs ("127.0.0.1", "10.244.0.0/16", "::1"). Throws on a bad entry. */
export function trustedProxyList(entries: string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = "", bits] = entry.split("/");
    const family = isIP(address);
    if (family === 0) throw new Error(`"${entry}" is not an IP address or CIDR`);
    const type = family === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) list.addAddress(address, type);
    else {
      const prefix = Number(bits);
      if (!/^\d+$/.test(bits) || prefix > (family === 6 ? 128 : 32)) {
        throw new Error(`"${entry}" has an invalid prefix length`);
      }
      list.addSubnet(address, prefix, type);
    }
  }
  return list;
}

/** "::ffff:10.0.0.1" (IPv4 on a dual-stack socket) → "10.0.0.1"; "[::1]" → "::1". */
function normalize(address: string): string {
  const a = address.trim().replace(/^\[(.*)\]$/, "$1");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  return mapped?.[1] ?? a;
}

function isTrusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 6 ? "ipv6" : "ipv4");
}

/** The client's address from the socket peer and the X-Forwarded-For header. */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | undefined,
  trusted: BlockList,
) {
  let address = normalize(peer ?? "");
  if (!address) return "unknown";
  const hops = (forwardedFor ?? "").split(",").map(normalize).filter(Boolean);
  while (isTrusted(trusted, address)) {
    const next = hops.pop();
    if (next === undefined || isIP(next) === 0) break;
    address = next;
  }
  return address;
}
