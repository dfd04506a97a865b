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
 * PostgreSQL: the database's objects belong to a role of the database's name (the application's
 * user of earlier releases, or one made here that never logs in); the user (created if missing) may
 * log in with IAM authentication only (`rds_iam`: RDS then refuses its passwords), is a member of
 * that role and acts as it, so what it makes belongs to the same role as what was there. Every
 * statement is safe to run again, so the job can be rerun whenever its spec changes.
 */
const POSTGRES = [
  'export PGHOST="$DATABASE_HOST" PGPORT="$DATABASE_PORT" PGDATABASE=postgres PGUSER="$master_user" PGPASSWORD="$master_password"',
  `export PGSSLMODE=verify-full PGSSLROOTCERT=${CA}`,
  'psql --no-psqlrc -v ON_ERROR_STOP=1 -v app="$APP_USER" -v db="$APP_DATABASE" <<\'SQL\'',
  "SELECT format('CREATE ROLE %I NOLOGIN', :'db') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'db') \\gexec",
  "SELECT format('CREATE ROLE %I LOGIN', :'app') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app') \\gexec",
  "SELECT format('GRANT rds_iam TO %I', :'app') \\gexec",
  "SELECT format('GRANT %I TO %I', :'db', :'app') \\gexec",
  "SELECT format('ALTER ROLE %I SET role = %L', :'app', :'db') \\gexec",
  "SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'db') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \\gexec",
  'SQL',
];

/** MySQL: the user authenticates through AWSAuthenticationPlugin (IAM) over TLS, and has all rights on the application's database. */
const MYSQL = [
  // The client reads the password from the environment, never from its command line.
  'export MYSQL_PWD="$master_password"',
  `mysql --host="$DATABASE_HOST" --port="$DATABASE_PORT" --user="$master_user" --ssl-mode=VERIFY_IDENTITY --ssl-ca=${CA} <<SQL`,
  "CREATE USER IF NOT EXISTS '$APP_USER'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL;",
  'CREATE DATABASE IF NOT EXISTS \\`$APP_DATABASE\\`;',
  "GRANT ALL PRIVILEGES ON \\`$APP_DATABASE\\`.* TO '$APP_USER'@'%';",
  'SQL',
];

/** Refuses a name the statements could not embed as it is: lower-case letters, digits, `_` and `-` only. */
const plainName = (variable: string) => `case "$${variable}" in *[!a-z0-9_-]*|"") echo "${variable} must be a plain name" >&2; exit 1;; esac`;

/**
 * The shell script of the database user job. It reads its inputs from the environment:
 * MASTER_SECRET_ARN, DATABASE_HOST, DATABASE_PORT, APP_USER (the user the application connects as)
 * and APP_DATABASE (its database), both plain names that the MySQL statements embed, and
 * RDS_CA_BUNDLE where the image keeps the certificates elsewhere. Both engines verify the server's
 * certificate and name.
 */
export function databaseUserScript(engine: 'postgres' | 'mysql'): string {
  return ['set -eu', plainName('APP_USER'), plainName('APP_DATABASE'), ...READ_MASTER_SECRET, ...(engine === 'postgres' ? POSTGRES : MYSQL), ''].join('\n');
}
