#!/usr/bin/env sh
# azd post-provision hook (azure.yaml): prepares the PostgreSQL database for the Function App, signed in as the
# server's Entra admin (POSTGRES_ADMIN_PRINCIPAL_NAME) with your own az/azd login. Every step is idempotent:
#   1. public server: a temporary firewall rule for this machine's address, removed on exit
#   2. phc migrate                      schemas and tables, owned by the admin
#   3. phc roles                        etl_user and analytics_reader with their grants
#   4. pgaadauth_create_principal_with_oid  a PostgreSQL login mapped to the managed identity's object id, if missing
#   5. phc roles --grant-to <identity>  the identity inherits etl_user's privileges
# Inputs come from the azd environment (infra outputs). Run by hand: `azd env get-values` shows them, or export
# the same names and run `sh scripts/postprovision.sh` from the repository root. See docs/deploy.md.
set -eu

fail() {
  echo "postprovision: $*" >&2
  exit 1
}

for name in POSTGRES_HOST POSTGRES_DATABASE POSTGRES_SERVER_NAME POSTGRES_ADMIN_PRINCIPAL_NAME FUNCTION_IDENTITY_NAME FUNCTION_IDENTITY_PRINCIPAL_ID; do
  eval "value=\${$name:-}"
  [ -n "$value" ] || fail "$name is not set; it comes from the infra outputs (run azd provision, or export it)"
done

cd "$(dirname "$0")/.."

# The phc command reads these; DATABASE_URL and PGPASSWORD would win over the Entra admin login, so drop them.
unset DATABASE_URL PGPASSWORD PGPASSWORD_SECRET_NAME
export PGHOST="$POSTGRES_HOST" PGPORT=5432 PGDATABASE="$POSTGRES_DATABASE" PGUSER="$POSTGRES_ADMIN_PRINCIPAL_NAME"
export PGAUTH=entra PGSSLMODE=verify-full

# 1. Firewall: Azure services are allowed by the template; this machine is not.
if [ "${POSTGRES_PRIVATE_ACCESS:-false}" = "true" ]; then
  echo "PostgreSQL has private access only: this hook must run from inside its virtual network."
elif [ "${PHC_SKIP_FIREWALL_RULE:-}" = "1" ]; then
  echo "PHC_SKIP_FIREWALL_RULE=1: using the server's existing firewall rules."
elif command -v az >/dev/null 2>&1 && [ -n "${AZURE_RESOURCE_GROUP:-}" ]; then
  client_ip="${PHC_CLIENT_IP:-$(curl -fsS --max-time 10 https://api.ipify.org || true)}"
  if [ -n "$client_ip" ]; then
    rule="postprovision-$(date +%Y%m%d%H%M%S)"
    echo "Allowing $client_ip through the PostgreSQL firewall while this hook runs (rule $rule)."
    if az postgres flexible-server firewall-rule create --resource-group "$AZURE_RESOURCE_GROUP" --name "$POSTGRES_SERVER_NAME" \
      --rule-name "$rule" --start-ip-address "$client_ip" --end-ip-address "$client_ip" --output none; then
      trap 'az postgres flexible-server firewall-rule delete --resource-group "$AZURE_RESOURCE_GROUP" --name "$POSTGRES_SERVER_NAME" --rule-name "$rule" --yes --output none || echo "postprovision: remove firewall rule $rule by hand" >&2' EXIT
    else
      echo "postprovision: could not add a firewall rule (az login?); continuing with the existing rules." >&2
    fi
  else
    echo "postprovision: could not find this machine's public address; set PHC_CLIENT_IP or a postgresClientIpRanges rule." >&2
  fi
else
  echo "postprovision: az CLI or AZURE_RESOURCE_GROUP missing; add this machine to postgresClientIpRanges if the connection fails." >&2
fi

[ -d node_modules ] || npm ci --no-audit --no-fund

phc() {
  npm run -s phc -- "$@"
}

# 2 and 3. Migrations and roles, as the admin.
phc migrate
phc roles

# 4. The Function App's identity as a PostgreSQL principal, mapped by object id: display names can repeat across a
#    tenant, and a plain role of the same name would not be the identity. Run in the postgres database, where the
#    pgaadauth functions live; every value is a bind parameter.
node - <<'NODE'
const { DefaultAzureCredential } = require('@azure/identity');
const { Client } = require('pg');

const lower = (row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key.toLowerCase(), value]));

async function main() {
  const name = process.env.FUNCTION_IDENTITY_NAME;
  const objectId = process.env.FUNCTION_IDENTITY_PRINCIPAL_ID.toLowerCase();
  const { token } = await new DefaultAzureCredential().getToken('https://ossrdbms-aad.database.windows.net/.default');
  const client = new Client({
    host: process.env.PGHOST,
    port: 5432,
    database: 'postgres',
    user: process.env.PGUSER,
    password: token,
    ssl: { rejectUnauthorized: true },
    application_name: 'phc-postprovision',
  });
  await client.connect();
  try {
    const listed = await client.query('select * from pgaadauth_list_principals(false) union all select * from pgaadauth_list_principals(true)');
    const mapped = listed.rows.map(lower).find((p) => p.rolname === name);
    if (mapped) {
      if (String(mapped.objectid).toLowerCase() !== objectId) {
        throw new Error(`role ${name} is mapped to Entra object ${mapped.objectid}, not to the Function App's identity (${objectId}); drop or rename that role`);
      }
      console.log(`PostgreSQL principal ${name} already exists for object id ${objectId}.`);
      return;
    }
    const plain = await client.query('select 1 from pg_catalog.pg_roles where rolname = $1', [name]);
    if (plain.rowCount) {
      throw new Error(`a PostgreSQL role named ${name} exists but is not an Entra principal; drop or rename it, then run the hook again`);
    }
    await client.query("select * from pgaadauth_create_principal_with_oid($1, $2, 'service', false, false)", [name, objectId]);
    console.log(`Created PostgreSQL principal ${name} for the Function App's managed identity (object id ${objectId}).`);
  } finally {
    await client.end();
  }
}

main().catch((error) => {
  console.error(`postprovision: cannot create the PostgreSQL principal: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
NODE

# 5. The identity inherits etl_user (grant is idempotent).
phc roles --grant-to "$FUNCTION_IDENTITY_NAME" --role etl_user

echo "Database ready: $POSTGRES_DATABASE on $POSTGRES_HOST; $FUNCTION_IDENTITY_NAME is a member of etl_user."
