// The one-time token of an emailed link. It travels in the URL fragment,
// which browsers never send to a server, so no proxy or server log keeps it;
// the page reads it once and at once removes it from the address bar and the
// history. Links mailed before carried it in the query string: read alike.
import { useEffect, useState } from "react";
import { useLocation, useNavigate } from "react-router";

export function readLinkToken(hash: string, search: string): string {
  const fromFragment = new URLSearchParams(hash.replace(/^#/, "")).get("token");
  return fromFragment ?? new URLSearchParams(search).get("token") ?? "";
}

export function useLinkToken(): string {
  const { pathname, hash, search } = useLocation();
  const navigate = useNavigate();
  const [token] = useState(() => readLinkToken(hash, search));
  useEffect(() => {
    if (hash !== "" || search !== "") void navigate(pathname, { replace: true });
  }, [pathname, hash, search, navigate]);
  return token;
}
