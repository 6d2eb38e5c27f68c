-- Realtime: every change to a user's goals, tasks and goal progress is an event in
-- change_events, written by triggers in the changing transaction (so an event exists exactly
-- when its change does, whichever path made it: a chat, the REST API, a job) and announced with
-- NOTIFY on commit. An instance listens on one connection and streams each user's events to
-- their open /api/v1/stream connections; a client that reconnects with Last-Event-ID is replayed
-- what it missed. A user reads only their own events (RLS).

-- +goose Up
CREATE TABLE change_events (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id   uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  entity    text NOT NULL CHECK (entity IN ('goal', 'task', 'goal_progress')),
  entity_id text NOT NULL,
  op        text NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
  at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX change_events_user_idx ON change_events (user_id, id);
ALTER TABLE change_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON change_events TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY service_all ON change_events TO service_role USING (true) WITH CHECK (true);
GRANT SELECT ON change_events TO authenticated;
GRANT SELECT, DELETE ON change_events TO service_role;

-- +goose StatementBegin
CREATE FUNCTION record_change() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  r record;
  kind text;
  ev bigint;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  kind := CASE TG_TABLE_NAME WHEN 'goals' THEN 'goal' WHEN 'tasks' THEN 'task' ELSE 'goal_progress' END;
  INSERT INTO change_events (user_id, entity, entity_id, op)
  VALUES (r.user_id, kind, r.id::text, CASE
      -- goals and tasks are deleted by marking them: for the client that is a deletion
      WHEN TG_OP = 'UPDATE' AND to_jsonb(NEW)->>'deleted_at' IS NOT NULL AND to_jsonb(OLD)->>'deleted_at' IS NULL THEN 'delete'
      ELSE lower(TG_OP) END)
  RETURNING id INTO ev;
  PERFORM pg_notify('bc_changes', r.user_id::text || ' ' || ev);
  RETURN NULL;
END $$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION record_change() FROM PUBLIC;
CREATE TRIGGER goals_change AFTER INSERT OR UPDATE OR DELETE ON goals FOR EACH ROW EXECUTE FUNCTION record_change();
CREATE TRIGGER tasks_change AFTER INSERT OR UPDATE OR DELETE ON tasks FOR EACH ROW EXECUTE FUNCTION record_change();
CREATE TRIGGER goal_progress_change AFTER INSERT OR UPDATE OR DELETE ON goal_progress FOR EACH ROW EXECUTE FUNCTION record_change();

-- +goose Down
DROP TRIGGER goal_progress_change ON goal_progress;
DROP TRIGGER tasks_change ON tasks;
DROP TRIGGER goals_change ON goals;
DROP FUNCTION record_change();
DROP TABLE change_events;
