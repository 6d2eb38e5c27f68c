-- The product's tables. Every user-owned row carries user_id (or reaches it through its goal);
-- soft-deleted rows keep deleted_at. Timestamps are timestamptz, calendar days are date.

-- +goose Up
CREATE TYPE locale AS ENUM ('ru', 'en');
CREATE TYPE subscription_tier AS ENUM ('free', 'pro', 'business');
CREATE TYPE subscription_status AS ENUM ('active', 'trialing', 'past_due', 'canceled');
CREATE TYPE goal_category AS ENUM ('revenue', 'clients', 'product', 'marketing', 'sales', 'team',
  'finance', 'health', 'learning', 'personal', 'other');
CREATE TYPE goal_status AS ENUM ('draft', 'active', 'paused', 'completed', 'archived');
CREATE TYPE goal_tracking AS ENUM ('value', 'tasks');
CREATE TYPE visibility AS ENUM ('private', 'team', 'public');
CREATE TYPE milestone_status AS ENUM ('pending', 'in_progress', 'completed', 'missed');
CREATE TYPE task_status AS ENUM ('todo', 'in_progress', 'done', 'cancelled');
CREATE TYPE task_complexity AS ENUM ('trivial', 'easy', 'medium', 'hard', 'extreme');
CREATE TYPE recommendation_type AS ENUM ('focus', 'workload', 'planning', 'goal', 'wellbeing', 'habit');
CREATE TYPE feedback AS ENUM ('helpful', 'neutral', 'not_helpful');
CREATE TYPE plan_status AS ENUM ('pending', 'ready', 'applied', 'rejected', 'failed', 'superseded');
CREATE TYPE integration_service AS ENUM ('google_calendar', 'yandex_calendar', 'notion', 'trello', 'todoist', 'slack');
CREATE TYPE team_role AS ENUM ('owner', 'admin', 'member');
CREATE TYPE identity_provider AS ENUM ('telegram', 'slack', 'console', 'email', 'google', 'yandex', 'apple');
CREATE TYPE delivery_status AS ENUM ('pending', 'sent', 'failed', 'dropped');

-- +goose StatementBegin
CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END $$;
-- +goose StatementEnd

CREATE TABLE users (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email               text CHECK (email IS NULL OR email LIKE '%_@_%'),
  password_hash       text,
  name                text NOT NULL DEFAULT '' CHECK (length(name) <= 200),
  timezone            text NOT NULL DEFAULT 'UTC' CHECK (timezone <> ''),
  locale              locale NOT NULL DEFAULT 'en',
  -- morning_plan_time, evening_checkin_time, weekly_report_day/time, quiet_hours {from,to},
  -- working_days [1..7], daily_capacity_min, paused_until, onboarding step
  settings            jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(settings) = 'object'),
  subscription_tier   subscription_tier NOT NULL DEFAULT 'free',
  subscription_status subscription_status NOT NULL DEFAULT 'active',
  -- set when a platform reports the user blocked the bot; cleared when they write again
  unreachable_at      timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email)) WHERE email IS NOT NULL;
CREATE TRIGGER users_updated_at BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE identities (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id      uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  provider     identity_provider NOT NULL,
  workspace    text NOT NULL DEFAULT '',
  external_id  text NOT NULL CHECK (external_id <> ''),
  display_name text NOT NULL DEFAULT '',
  created_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (provider, workspace, external_id)
);
CREATE INDEX identities_user_id_idx ON identities (user_id);

CREATE TABLE teams (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name          text NOT NULL CHECK (name <> ''),
  slack_team_id text UNIQUE,
  -- the channel that receives the team's weekly report
  report_channel text,
  -- encrypted workspace bot token (AES-256-GCM) and its key id; NULL when revoked
  bot_token     bytea,
  bot_token_key text,
  disabled_at   timestamptz,
  created_by    uuid REFERENCES users ON DELETE SET NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER teams_updated_at BEFORE UPDATE ON teams FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE team_members (
  team_id   uuid NOT NULL REFERENCES teams ON DELETE CASCADE,
  user_id   uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  role      team_role NOT NULL DEFAULT 'member',
  joined_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user_id_idx ON team_members (user_id);

CREATE TABLE goals (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id       uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  team_id       uuid REFERENCES teams ON DELETE SET NULL,
  title         text NOT NULL CHECK (title <> ''),
  description   text NOT NULL DEFAULT '',
  category      goal_category NOT NULL DEFAULT 'other',
  tracking      goal_tracking NOT NULL DEFAULT 'value',
  target_value  numeric CHECK (target_value IS NULL OR target_value > 0),
  current_value numeric NOT NULL DEFAULT 0,
  unit          text NOT NULL DEFAULT '',
  start_date    date NOT NULL DEFAULT current_date,
  end_date      date,
  status        goal_status NOT NULL DEFAULT 'active',
  visibility    visibility NOT NULL DEFAULT 'private',
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  deleted_at    timestamptz,
  CHECK (end_date IS NULL OR end_date >= start_date),
  CHECK (visibility <> 'team' OR team_id IS NOT NULL)
);
CREATE INDEX goals_user_id_idx ON goals (user_id) WHERE deleted_at IS NULL;
CREATE INDEX goals_team_id_idx ON goals (team_id) WHERE team_id IS NOT NULL;
CREATE INDEX goals_public_idx ON goals (visibility) WHERE visibility = 'public';
CREATE TRIGGER goals_updated_at BEFORE UPDATE ON goals FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE milestones (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  goal_id      uuid NOT NULL REFERENCES goals ON DELETE CASCADE,
  title        text NOT NULL CHECK (title <> ''),
  target_value numeric,
  deadline     date,
  position     int NOT NULL DEFAULT 0,
  status       milestone_status NOT NULL DEFAULT 'pending',
  completed_at timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX milestones_goal_id_idx ON milestones (goal_id);
CREATE TRIGGER milestones_updated_at BEFORE UPDATE ON milestones FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE tasks (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id        uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  goal_id        uuid REFERENCES goals ON DELETE SET NULL,
  milestone_id   uuid REFERENCES milestones ON DELETE SET NULL,
  title          text NOT NULL CHECK (title <> ''),
  description    text NOT NULL DEFAULT '',
  priority       smallint NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 4),
  estimated_time int CHECK (estimated_time IS NULL OR estimated_time BETWEEN 1 AND 10080),
  complexity     task_complexity NOT NULL DEFAULT 'medium',
  cognitive_load smallint NOT NULL DEFAULT 5 CHECK (cognitive_load BETWEEN 1 AND 10),
  status         task_status NOT NULL DEFAULT 'todo',
  scheduled_date date,
  scheduled_time time,
  recurrence     text CHECK (recurrence IS NULL OR recurrence LIKE 'FREQ=%'),
  completed_at   timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  deleted_at     timestamptz,
  CHECK ((status = 'done') = (completed_at IS NOT NULL))
);
CREATE INDEX tasks_user_date_idx ON tasks (user_id, scheduled_date) WHERE deleted_at IS NULL;
CREATE INDEX tasks_user_open_idx ON tasks (user_id, priority) WHERE deleted_at IS NULL AND status IN ('todo', 'in_progress');
CREATE INDEX tasks_goal_id_idx ON tasks (goal_id) WHERE goal_id IS NOT NULL;
CREATE INDEX tasks_milestone_id_idx ON tasks (milestone_id) WHERE milestone_id IS NOT NULL;
CREATE TRIGGER tasks_updated_at BEFORE UPDATE ON tasks FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE task_history (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  task_id    uuid NOT NULL REFERENCES tasks ON DELETE CASCADE,
  user_id    uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  -- {"field": [old, new], ...} for status, scheduled_date, scheduled_time, priority, estimated_time
  changes    jsonb NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX task_history_task_id_idx ON task_history (task_id, changed_at);
CREATE INDEX task_history_user_id_idx ON task_history (user_id, changed_at);

-- The history is written by the database, never by the application, so it can't be forged:
-- SECURITY DEFINER lets the trigger insert where the caller may only read.
-- +goose StatementBegin
CREATE FUNCTION record_task_history() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  c jsonb := '{}';
BEGIN
  IF NEW.status IS DISTINCT FROM OLD.status THEN
    c := c || jsonb_build_object('status', jsonb_build_array(OLD.status, NEW.status));
  END IF;
  IF NEW.scheduled_date IS DISTINCT FROM OLD.scheduled_date THEN
    c := c || jsonb_build_object('scheduled_date', jsonb_build_array(OLD.scheduled_date, NEW.scheduled_date));
  END IF;
  IF NEW.scheduled_time IS DISTINCT FROM OLD.scheduled_time THEN
    c := c || jsonb_build_object('scheduled_time', jsonb_build_array(OLD.scheduled_time, NEW.scheduled_time));
  END IF;
  IF NEW.priority IS DISTINCT FROM OLD.priority THEN
    c := c || jsonb_build_object('priority', jsonb_build_array(OLD.priority, NEW.priority));
  END IF;
  IF NEW.estimated_time IS DISTINCT FROM OLD.estimated_time THEN
    c := c || jsonb_build_object('estimated_time', jsonb_build_array(OLD.estimated_time, NEW.estimated_time));
  END IF;
  IF c <> '{}' THEN
    INSERT INTO task_history (task_id, user_id, changes) VALUES (NEW.id, NEW.user_id, c);
  END IF;
  RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER tasks_history AFTER UPDATE ON tasks FOR EACH ROW EXECUTE FUNCTION record_task_history();

CREATE TABLE goal_progress (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  goal_id    uuid NOT NULL REFERENCES goals ON DELETE CASCADE,
  -- who logged it: the owner, or a team member for team goals
  user_id    uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  date       date NOT NULL,
  value      numeric NOT NULL,
  notes      text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX goal_progress_goal_date_idx ON goal_progress (goal_id, date);

CREATE TABLE daily_progress (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id          uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  date             date NOT NULL,
  business_load    smallint CHECK (business_load BETWEEN 0 AND 100),
  tasks_completed  int NOT NULL DEFAULT 0 CHECK (tasks_completed >= 0),
  tasks_planned    int NOT NULL DEFAULT 0 CHECK (tasks_planned >= 0),
  stress           smallint CHECK (stress BETWEEN 1 AND 5),
  energy           smallint CHECK (energy BETWEEN 1 AND 5),
  reflection_notes text NOT NULL DEFAULT '',
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, date)
);
CREATE TRIGGER daily_progress_updated_at BEFORE UPDATE ON daily_progress FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE recommendations (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id    uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  type       recommendation_type NOT NULL,
  content    text NOT NULL CHECK (content <> ''),
  context    jsonb NOT NULL DEFAULT '{}',
  applied    boolean NOT NULL DEFAULT false,
  feedback   feedback,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX recommendations_user_idx ON recommendations (user_id, created_at DESC);

CREATE TABLE recommendation_feedback (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  recommendation_id uuid NOT NULL REFERENCES recommendations ON DELETE CASCADE,
  user_id           uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  rating            feedback NOT NULL,
  comment           text NOT NULL DEFAULT '',
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX recommendation_feedback_rec_idx ON recommendation_feedback (recommendation_id);
CREATE INDEX recommendation_feedback_user_idx ON recommendation_feedback (user_id);

CREATE TABLE ai_plans (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  goal_id           uuid NOT NULL REFERENCES goals ON DELETE CASCADE,
  user_id           uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  version           int NOT NULL CHECK (version > 0),
  provider          text NOT NULL,
  model             text NOT NULL DEFAULT '',
  input             jsonb NOT NULL DEFAULT '{}',
  output            jsonb NOT NULL DEFAULT '{}',
  status            plan_status NOT NULL DEFAULT 'pending',
  prompt_tokens     int NOT NULL DEFAULT 0,
  completion_tokens int NOT NULL DEFAULT 0,
  created_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (goal_id, version)
);
CREATE INDEX ai_plans_user_idx ON ai_plans (user_id);

CREATE TABLE integration_connections (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id       uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  service       integration_service NOT NULL,
  -- AES-256-GCM ciphertexts (nonce || sealed) and the id of the key that sealed them
  access_token  bytea,
  refresh_token bytea,
  key_id        text NOT NULL DEFAULT '',
  expires_at    timestamptz,
  metadata      jsonb NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, service)
);
CREATE TRIGGER integration_connections_updated_at BEFORE UPDATE ON integration_connections FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE achievements (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id     uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  kind        text NOT NULL,
  title       text NOT NULL DEFAULT '',
  metadata    jsonb NOT NULL DEFAULT '{}',
  achieved_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, kind)
);

CREATE TABLE subscriptions (
  id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id                  uuid REFERENCES users ON DELETE CASCADE,
  team_id                  uuid REFERENCES teams ON DELETE CASCADE,
  tier                     subscription_tier NOT NULL,
  status                   subscription_status NOT NULL DEFAULT 'active',
  provider                 text NOT NULL DEFAULT '',
  provider_customer_id     text,
  provider_subscription_id text UNIQUE,
  current_period_end       timestamptz,
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now(),
  CHECK ((user_id IS NULL) <> (team_id IS NULL))
);
CREATE INDEX subscriptions_user_idx ON subscriptions (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX subscriptions_team_idx ON subscriptions (team_id) WHERE team_id IS NOT NULL;
CREATE TRIGGER subscriptions_updated_at BEFORE UPDATE ON subscriptions FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Dialog state per user and chat: what the assistant asked and what it waits for.
CREATE TABLE conversations (
  user_id    uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  chat       text NOT NULL,
  state      jsonb NOT NULL DEFAULT '{}',
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, chat)
);

-- One row per accepted platform update: the unique key makes redelivery a no-op.
CREATE TABLE inbound_updates (
  key          text PRIMARY KEY,
  user_id      uuid REFERENCES users ON DELETE CASCADE,
  -- the raw update for adapters that accept first and process later; NULL when processed inline
  payload      jsonb,
  attempts     int NOT NULL DEFAULT 0,
  received_at  timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz
);
CREATE INDEX inbound_updates_pending_idx ON inbound_updates (received_at) WHERE processed_at IS NULL;

-- Replies and pushes waiting to be delivered; written in the same transaction as their cause.
CREATE TABLE outbox (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id      uuid REFERENCES users ON DELETE CASCADE,
  provider     identity_provider NOT NULL,
  workspace    text NOT NULL DEFAULT '',
  chat         text NOT NULL,
  -- the platform-neutral reply (text, buttons, image, the message to edit)
  payload      jsonb NOT NULL,
  -- exactly-once key for scheduled pushes, e.g. 'morning:<user>:<date>'
  dedupe_key   text UNIQUE,
  status       delivery_status NOT NULL DEFAULT 'pending',
  attempts     int NOT NULL DEFAULT 0,
  available_at timestamptz NOT NULL DEFAULT now(),
  sent_at      timestamptz,
  external_id  text,
  last_error   text,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_pending_idx ON outbox (available_at, id) WHERE status = 'pending';
CREATE INDEX outbox_user_idx ON outbox (user_id);

-- +goose Down
DROP TABLE outbox, inbound_updates, conversations, subscriptions, achievements, integration_connections,
  ai_plans, recommendation_feedback, recommendations, daily_progress, goal_progress, task_history, tasks,
  milestones, goals, team_members, teams, identities, users;
DROP FUNCTION record_task_history(), set_updated_at();
DROP TYPE delivery_status, identity_provider, team_role, integration_service, plan_status, feedback,
  recommendation_type, task_complexity, task_status, milestone_status, visibility, goal_tracking,
  goal_status, goal_category, subscription_status, subscription_tier, locale;
