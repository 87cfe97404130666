// Shared setup for the client tests: the server URL comes from the Maven test (KINTO4J_URL).
import kintoHttp from "kinto-http";

export const KintoClient = kintoHttp.default;

export const remote = process.env.KINTO4J_URL;
if (!remote) {
  throw new Error("KINTO4J_URL is not set: run these tests through `mvn verify` (clients-tests module)");
}

/** A kinto-http client authenticated with basicauth as `user` (password "secret"). */
export function client(user, options = {}) {
  const headers = user
    ? { Authorization: "Basic " + Buffer.from(`${user}:secret`).toString("base64") }
    : {};
  return new KintoClient(remote, { headers, ...options });
}

/** A unique id so that test files never share buckets. */
export function unique(prefix) {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
