import { startSandbox, type Sandbox, type SandboxOptions } from './index';

/** `phc sandbox`: start the simulator and print one line with the URL, the key and a curl to paste. */
export async function runSandboxServer(opts: SandboxOptions, print: (line: string) => void = (line) => console.log(line)): Promise<Sandbox> {
  const sandbox = await startSandbox(opts);
  const example = `curl -u ${sandbox.apiKey}: '${sandbox.baseUrl}/api/orders?display=full&output_format=JSON&limit=2'`;
  print(`PrestaShop ${sandbox.version} sandbox at ${sandbox.baseUrl}/api/ key ${sandbox.apiKey} (a test key, not a secret) — try: ${example}`);
  return sandbox;
}
