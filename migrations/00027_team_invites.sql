-- Teams through the REST API: a team's owners and admins make invite codes (a week, single use,
-- stored as their SHA-256) that a signed-in user redeems to join as a member; and the owner's role
-- changes name the member by user id as well as by platform identity, one rule for both
-- (set_member_role, which set_team_role now calls).

-- +goose Up
CREATE TABLE team_invites (
  code_hash  bytea PRIMARY KEY CHECK (length(code_hash) = 32),
  team_id    uuid NOT NULL REFERENCES teams ON DELETE CASCADE,
  created_by uuid NOT NULL DEFAULT auth.uid() REFERENCES users ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  used_by    uuid REFERENCES users ON DELETE SET NULL,
  used_at    timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX team_invites_team_idx ON team_invites (team_id);
ALTER TABLE team_invites ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_all ON team_invites TO service_role USING (true) WITH CHECK (true);
CREATE POLICY admin_insert ON team_invites FOR INSERT TO authenticated
  WITH CHECK (created_by = (SELECT auth.uid()) AND is_team_admin(team_id));
GRANT INSERT ON team_invites TO authenticated;

-- +goose StatementBegin
CREATE FUNCTION redeem_team_invite(code text) RETURNS uuid
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  team uuid;
BEGIN
  UPDATE team_invites SET used_by = auth.uid(), used_at = now()
   WHERE code_hash = sha256(convert_to(code, 'UTF8')) AND used_at IS NULL AND expires_at > now()
   RETURNING team_id INTO team;
  IF team IS NULL THEN
    RETURN NULL;
  END IF;
  INSERT INTO team_members (team_id, user_id, role) VALUES (team, auth.uid(), 'member') ON CONFLICT DO NOTHING;
  RETURN team;
END $$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION redeem_team_invite(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION redeem_team_invite(text) TO authenticated;

-- The team's owner hands the team over or names admins; the database checks the caller owns it.
-- +goose StatementBegin
CREATE FUNCTION set_member_role(team uuid, target uuid, new_role team_role) RETURNS boolean
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = team AND m.user_id = auth.uid() AND m.role = 'owner') THEN
    RAISE EXCEPTION 'only the team''s owner changes roles' USING ERRCODE = '42501';
  END IF;
  IF target IS NULL OR target = auth.uid() OR NOT EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = team AND m.user_id = target) THEN
    RETURN false;
  END IF;
  IF new_role = 'owner' THEN
    UPDATE team_members SET role = 'admin' WHERE team_id = team AND user_id = auth.uid();
  END IF;
  UPDATE team_members SET role = new_role WHERE team_id = team AND user_id = target;
  RETURN true;
END $$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION set_member_role(uuid, uuid, team_role) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION set_member_role(uuid, uuid, team_role) TO authenticated;

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION set_team_role(team uuid, target_provider identity_provider, target_workspace text,
  target_external text, new_role team_role) RETURNS boolean
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  RETURN set_member_role(team, (SELECT m.user_id FROM identities i JOIN team_members m ON m.user_id = i.user_id AND m.team_id = team
    WHERE i.provider = target_provider AND i.workspace = target_workspace AND i.external_id = target_external), new_role);
END $$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION set_team_role(team uuid, target_provider identity_provider, target_workspace text,
  target_external text, new_role team_role) RETURNS boolean
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  target uuid;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = team AND m.user_id = auth.uid() AND m.role = 'owner') THEN
    RAISE EXCEPTION 'only the team''s owner changes roles' USING ERRCODE = '42501';
  END IF;
  SELECT m.user_id INTO target FROM identities i JOIN team_members m ON m.user_id = i.user_id AND m.team_id = team
   WHERE i.provider = target_provider AND i.workspace = target_workspace AND i.external_id = target_external;
  IF target IS NULL OR target = auth.uid() THEN
    RETURN false;
  END IF;
  IF new_role = 'owner' THEN
    UPDATE team_members SET role = 'admin' WHERE team_id = team AND user_id = auth.uid();
  END IF;
  UPDATE team_members SET role = new_role WHERE team_id = team AND user_id = target;
  RETURN true;
END $$;
-- +goose StatementEnd
DROP FUNCTION set_member_role(uuid, uuid, team_role);
DROP FUNCTION redeem_team_invite(text);
DROP TABLE team_invites;
