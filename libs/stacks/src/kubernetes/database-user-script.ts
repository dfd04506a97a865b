/** Where the database tools image keeps the RDS certificate authorities (Amazon's global bundle). */
export const RDS_CA_BUNDLE = '/etc/tenancy/rds-ca.pem';
const CA = `"\${RDS_CA_BUNDLE:-${RDS_CA_BUNDLE}}"`;

/** Reads the master user's name and password from the secret RDS keeps them in. */
const READ_MASTER_SECRET = [
  'secret=$(aws secretsmanager get-secret-value --secret-id "$MASTER_SECRET_ARN" --query SecretString --output text)',
  'master_user=$(printf %s "$secret" | jq -er .username)',
  'master_password=$(printf %s "$secret" | jq -er .password)',
  'unset secret',
];

/**
 * PostgreSQL: the user (created if missing) may log in with IAM authentication only (`rds_iam`:
 * RDS then refuses its passwords) and owns a database of its name. Every statement is safe to run
 * again, so the job can be rerun whenever its spec changes.
 */
const POSTGRES = [
  'export PGHOST="$DATABASE_HOST" PGPORT="$DATABASE_PORT" PGDATABASE=postgres PGUSER="$master_user" PGPASSWORD="$master_password"',
  `export PGSSLMODE=verify-full PGSSLROOTCERT=${CA}`,
  'psql --no-psqlrc -v ON_ERROR_STOP=1 -v app="$APP_USER" <<\'SQL\'',
  "SELECT format('CREATE ROLE %I LOGIN', :'app') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app') \\gexec",
  "SELECT format('GRANT rds_iam TO %I', :'app') \\gexec",
  "SELECT format('CREATE DATABASE %I OWNER %I', :'app', :'app') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'app') \\gexec",
  'SQL',
];

/** MySQL: the user authenticates through AWSAuthenticationPlugin (IAM) over TLS, and has all rights on a database of its name. */
const MYSQL = [
  // The client reads the password from the environment, never from its command line.
  'export MYSQL_PWD="$master_password"',
  `mysql --host="$DATABASE_HOST" --port="$DATABASE_PORT" --user="$master_user" --ssl-mode=VERIFY_IDENTITY --ssl-ca=${CA} <<SQL`,
  "CREATE USER IF NOT EXISTS '$APP_USER'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL;",
  'CREATE DATABASE IF NOT EXISTS \\`$APP_USER\\`;',
  "GRANT ALL PRIVILEGES ON \\`$APP_USER\\`.* TO '$APP_USER'@'%';",
  'SQL',
];

/**
 * The shell script of the database user job. It reads its inputs from the environment:
 * MASTER_SECRET_ARN, DATABASE_HOST, DATABASE_PORT and APP_USER (a plain identifier, which the
 * MySQL statements embed), and RDS_CA_BUNDLE where the image keeps the certificates elsewhere.
 * Both engines verify the server's certificate and name.
 */
export function databaseUserScript(engine: 'postgres' | 'mysql'): string {
  return ['set -eu', 'case "$APP_USER" in *[!a-z0-9_]*|"") echo "APP_USER must be a plain identifier" >&2; exit 1;; esac', ...READ_MASTER_SECRET, ...(engine === 'postgres' ? POSTGRES : MYSQL), ''].join('\n');
}
