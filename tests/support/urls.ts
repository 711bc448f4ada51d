/** One template per jest run, so two runs against one server (two checkouts, CI and a developer) never collide. */
export function templateDatabase(): string {
  const name = process.env.PHC_TEST_TEMPLATE;
  if (!name) throw new Error('PHC_TEST_TEMPLATE is not set: run the tests through jest (tests/support/globalSetup.ts)');
  return name;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function withCredentials(url: string, user: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = user;
  parsed.password = password;
  return parsed.toString();
}

export function adminUrl(): string {
  const url = process.env.PHC_TEST_ADMIN_URL;
  if (!url) throw new Error('PHC_TEST_ADMIN_URL is not set: run the tests through jest (tests/support/globalSetup.ts)');
  return url;
}
