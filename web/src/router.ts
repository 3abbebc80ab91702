import { useEffect, useState } from 'preact/hooks';

/** Hash routes (#/customers/acme): the dashboard is static files, any server can serve it. */
export function useRoute(): string[] {
  const read = () =>
    (location.hash.replace(/^#\/?/, '') || 'overview')
      .split('?')[0]!
      .split('/')
      .filter(Boolean)
      .map(decodeURIComponent);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const update = () => setRoute(read());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}

export const href = (...parts: string[]) => `#/${parts.map(encodeURIComponent).join('/')}`;

export function navigate(...parts: string[]) {
  location.hash = href(...parts);
}
