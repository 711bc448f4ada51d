export default async function globalTeardown(): Promise<void> {
  await globalThis.phcTestServer?.stop();
}
