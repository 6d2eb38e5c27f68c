-- Supabase-compatible roles and auth.uid(). Roles are cluster-wide and may be shared (Supabase
-- ships them), so they are created only where missing and never dropped. The auth schema and
-- auth.uid() are created only where missing and dropped only when this migration created them.

-- +goose Up
-- +goose StatementBegin
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'anon') THEN CREATE ROLE anon NOLOGIN NOINHERIT; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'authenticated') THEN CREATE ROLE authenticated NOLOGIN NOINHERIT; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'service_role') THEN CREATE ROLE service_role NOLOGIN NOINHERIT; END IF;
  IF NOT EXISTS (SELECT FROM pg_namespace WHERE nspname = 'auth') THEN
    CREATE SCHEMA auth;
    COMMENT ON SCHEMA auth IS 'created by bizconnect';
  END IF;
  IF to_regprocedure('auth.uid()') IS NULL THEN
    CREATE FUNCTION auth.uid() RETURNS uuid
      LANGUAGE sql STABLE
      AS $f$ SELECT coalesce(nullif(current_setting('request.jwt.claim.sub', true), ''),
                         nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')::uuid $f$;
    COMMENT ON FUNCTION auth.uid() IS 'created by bizconnect';
  END IF;
END $$;
-- +goose StatementEnd
GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;
GRANT EXECUTE ON FUNCTION auth.uid() TO anon, authenticated, service_role;
GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role;

-- +goose Down
REVOKE USAGE ON SCHEMA public FROM anon, authenticated, service_role;
-- +goose StatementBegin
DO $$
BEGIN
  IF obj_description('auth.uid()'::regprocedure, 'pg_proc') = 'created by bizconnect' THEN
    DROP FUNCTION auth.uid();
  END IF;
  IF obj_description('auth'::regnamespace, 'pg_namespace') = 'created by bizconnect' THEN
    DROP SCHEMA auth;
  END IF;
END $$;
-- +goose StatementEnd
