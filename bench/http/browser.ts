// Signing in over HTTP the way a browser does: fetch the form (CSRF cookie and token), post the
// email and password, keep the session cookie.

/** Cookies as a browser would keep them for one site: name to value, later ones replacing earlier. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** The hidden `_csrf` field of the first form on a page. */
export function csrfTokenIn(html: string): string {
  const m = /name="_csrf"\s+value="([^"]+)"/.exec(html) ?? /value="([^"]+)"\s+name="_csrf"/.exec(html);
  if (!m?.[1]) throw new Error('No _csrf field on the page');
  return m[1];
}

export interface SignInForm {
  /** The `stepwise_csrf` cookie the form was served with. */
  cookie: string;
  token: string;
}

/** GET /sign-in: what a browser holds before posting the form. */
export async function signInForm(baseUrl: string): Promise<SignInForm> {
  const jar = new CookieJar();
  const res = await fetch(`${baseUrl}/sign-in`, { redirect: 'manual' });
  jar.take(res);
  if (res.status !== 200) throw new Error(`GET /sign-in answered ${res.status}`);
  return { cookie: jar.header(), token: csrfTokenIn(await res.text()) };
}

export const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();

/** Signs in and returns the jar holding the session cookie (and the CSRF cookie of a later page). */
export async function signIn(baseUrl: string, email: string, password: string): Promise<CookieJar> {
  const jar = new CookieJar();
  const page = await fetch(`${baseUrl}/sign-in`, { redirect: 'manual' });
  jar.take(page);
  const token = csrfTokenIn(await page.text());
  const res = await fetch(`${baseUrl}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
    body: form({ email, password, _csrf: token }),
  });
  jar.take(res);
  await res.arrayBuffer();
  if (res.status !== 302 && res.status !== 303)
    throw new Error(`Signing in as ${email} answered ${res.status}, not a redirect: is the data set loaded?`);
  if (!jar.get('stepwise_session')) throw new Error(`Signing in as ${email} set no session cookie`);
  return jar;
}

/** A GET that must answer 200 (used to warm up and to check a path before loading it). */
export async function getOk(baseUrl: string, path: string, headers: Record<string, string>): Promise<string> {
  const res = await fetch(`${baseUrl}${path}`, { redirect: 'manual', headers });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
  return body;
}
