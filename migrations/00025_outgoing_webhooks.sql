-- Outgoing webhooks (core/hooks): endpoints an admin registers for events of the catalogue; the
-- events, written by triggers in the transaction of the change they describe (so an event
-- exists exactly when its change does, whichever path made it), only while an enabled endpoint
-- wants their type; one delivery row per event and endpoint, worked by a River job. Only the
-- service touches these tables: users never see them.

-- +goose Up
CREATE TABLE webhook_endpoints (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  url            text NOT NULL CHECK (length(url) <= 2048),
  events         text[] NOT NULL CHECK (cardinality(events) BETWEEN 1 AND 32),
  description    text NOT NULL DEFAULT '' CHECK (length(description) <= 200),
  secret_sealed  bytea NOT NULL,
  secret_key     text NOT NULL,
  enabled        boolean NOT NULL DEFAULT true,
  disabled_why   text CHECK (length(disabled_why) <= 500),
  failing_since  timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhook_events (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  type       text NOT NULL CHECK (type ~ '^[a-z_]+\.[a-z_]+$'),
  user_id    uuid REFERENCES users ON DELETE SET NULL,
  data       jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  dispatched boolean NOT NULL DEFAULT false
);
CREATE INDEX webhook_events_undispatched_idx ON webhook_events (id) WHERE NOT dispatched;
CREATE INDEX webhook_events_created_idx ON webhook_events (created_at);

CREATE TABLE webhook_deliveries (
  event_id     bigint NOT NULL REFERENCES webhook_events ON DELETE CASCADE,
  endpoint_id  uuid NOT NULL REFERENCES webhook_endpoints ON DELETE CASCADE,
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed', 'dropped')),
  attempts     int NOT NULL DEFAULT 0,
  last_status  int,
  last_error   text CHECK (length(last_error) <= 500),
  delivered_at timestamptz,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (event_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, status);

ALTER TABLE webhook_endpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_all ON webhook_endpoints TO service_role USING (true) WITH CHECK (true);
CREATE POLICY service_all ON webhook_events TO service_role USING (true) WITH CHECK (true);
CREATE POLICY service_all ON webhook_deliveries TO service_role USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_endpoints, webhook_events, webhook_deliveries TO service_role;

-- hook_event writes an event of type about user when an enabled endpoint wants that type: with
-- none, a change costs one look at a table of a few rows
-- +goose StatementBegin
CREATE FUNCTION hook_event(t text, usr uuid, d jsonb) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF EXISTS (SELECT FROM webhook_endpoints WHERE enabled AND t = ANY (events)) THEN
    INSERT INTO webhook_events (type, user_id, data) VALUES (t, usr, d);
  END IF;
END $$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION hook_event(text, uuid, jsonb) FROM PUBLIC;

-- +goose StatementBegin
CREATE FUNCTION record_hook_event() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  owner uuid;
BEGIN
  CASE TG_TABLE_NAME
  WHEN 'users' THEN
    PERFORM hook_event('user.created', NEW.id, jsonb_build_object('id', NEW.id, 'locale', NEW.locale,
      'timezone', NEW.timezone, 'created_at', NEW.created_at));
  WHEN 'goals' THEN
    IF TG_OP = 'INSERT' THEN
      PERFORM hook_event('goal.created', NEW.user_id, jsonb_build_object('id', NEW.id, 'user_id', NEW.user_id, 'team_id', NEW.team_id,
        'title', NEW.title, 'category', NEW.category, 'target_value', NEW.target_value, 'unit', NEW.unit, 'end_date', NEW.end_date,
        'status', NEW.status, 'visibility', NEW.visibility));
    ELSIF NEW.status = 'completed' AND OLD.status <> 'completed' THEN
      PERFORM hook_event('goal.completed', NEW.user_id, jsonb_build_object('id', NEW.id, 'user_id', NEW.user_id, 'team_id', NEW.team_id,
        'title', NEW.title, 'current_value', NEW.current_value, 'target_value', NEW.target_value, 'unit', NEW.unit));
    ELSIF (OLD.title, OLD.status, OLD.current_value, OLD.target_value, OLD.end_date, OLD.visibility, OLD.deleted_at)
          IS DISTINCT FROM (NEW.title, NEW.status, NEW.current_value, NEW.target_value, NEW.end_date, NEW.visibility, NEW.deleted_at) THEN
      PERFORM hook_event('goal.updated', NEW.user_id, jsonb_build_object('id', NEW.id, 'user_id', NEW.user_id, 'team_id', NEW.team_id,
        'title', NEW.title, 'status', NEW.status, 'current_value', NEW.current_value, 'target_value', NEW.target_value,
        'unit', NEW.unit, 'end_date', NEW.end_date, 'visibility', NEW.visibility, 'deleted', NEW.deleted_at IS NOT NULL));
    END IF;
  WHEN 'tasks' THEN
    IF TG_OP = 'INSERT' THEN
      PERFORM hook_event('task.created', NEW.user_id, jsonb_build_object('id', NEW.id, 'user_id', NEW.user_id, 'goal_id', NEW.goal_id,
        'title', NEW.title, 'scheduled_date', NEW.scheduled_date, 'priority', NEW.priority));
    ELSIF NEW.status = 'done' AND OLD.status <> 'done' THEN
      PERFORM hook_event('task.completed', NEW.user_id, jsonb_build_object('id', NEW.id, 'user_id', NEW.user_id, 'goal_id', NEW.goal_id,
        'title', NEW.title, 'completed_at', NEW.completed_at));
    END IF;
  WHEN 'milestones' THEN
    IF NEW.status = 'completed' AND OLD.status <> 'completed' THEN
      SELECT user_id INTO owner FROM goals WHERE id = NEW.goal_id;
      PERFORM hook_event('milestone.reached', owner, jsonb_build_object('id', NEW.id, 'goal_id', NEW.goal_id, 'user_id', owner,
        'title', NEW.title, 'completed_at', NEW.completed_at));
    END IF;
  WHEN 'achievements' THEN
    PERFORM hook_event('achievement.earned', NEW.user_id, jsonb_build_object('id', NEW.id, 'user_id', NEW.user_id, 'kind', NEW.kind,
      'title', NEW.title, 'achieved_at', NEW.achieved_at));
  WHEN 'outbox' THEN
    -- a push's first part: the weekly report or a load warning was sent to the user
    IF NEW.user_id IS NOT NULL AND NEW.dedupe_key IS NOT NULL AND position('#' IN NEW.dedupe_key) = 0 THEN
      IF NEW.payload->>'push' = 'weekly' THEN
        PERFORM hook_event('report.weekly', NEW.user_id, jsonb_build_object('user_id', NEW.user_id, 'due', NEW.payload->'due'));
      ELSIF NEW.payload->>'push' = 'load_warning' THEN
        PERFORM hook_event('load.warning', NEW.user_id, jsonb_build_object('user_id', NEW.user_id, 'due', NEW.payload->'due'));
      END IF;
    END IF;
  END CASE;
  RETURN NULL;
END $$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION record_hook_event() FROM PUBLIC;
CREATE TRIGGER users_hook AFTER INSERT ON users FOR EACH ROW EXECUTE FUNCTION record_hook_event();
CREATE TRIGGER goals_hook AFTER INSERT OR UPDATE ON goals FOR EACH ROW EXECUTE FUNCTION record_hook_event();
CREATE TRIGGER tasks_hook AFTER INSERT OR UPDATE ON tasks FOR EACH ROW EXECUTE FUNCTION record_hook_event();
CREATE TRIGGER milestones_hook AFTER UPDATE ON milestones FOR EACH ROW EXECUTE FUNCTION record_hook_event();
CREATE TRIGGER achievements_hook AFTER INSERT ON achievements FOR EACH ROW EXECUTE FUNCTION record_hook_event();
CREATE TRIGGER outbox_hook AFTER INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION record_hook_event();

-- +goose Down
DROP TRIGGER outbox_hook ON outbox;
DROP TRIGGER achievements_hook ON achievements;
DROP TRIGGER milestones_hook ON milestones;
DROP TRIGGER tasks_hook ON tasks;
DROP TRIGGER goals_hook ON goals;
DROP TRIGGER users_hook ON users;
DROP FUNCTION record_hook_event();
DROP FUNCTION hook_event(text, uuid, jsonb);
DROP TABLE webhook_deliveries;
DROP TABLE webhook_events;
DROP TABLE webhook_endpoints;
