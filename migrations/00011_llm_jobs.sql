-- Work a message asked for that is finished later by a job (an LLM plan): what the LLM cost, and
-- the follow-up reply it sends; and one line of plan versions per team goal, whoever of its
-- managers proposes them.

-- +goose Up
-- ai_plans: a team goal's owner and the team's admins see and supersede each other's versions of
-- its plan (versions number per goal); each proposes their own, and the rest see their own only.
DROP POLICY owner_all ON ai_plans;
CREATE POLICY manager_select ON ai_plans FOR SELECT TO authenticated
  USING (user_id = (SELECT auth.uid()) OR can_manage_goal(goal_id));
CREATE POLICY manager_insert ON ai_plans FOR INSERT TO authenticated
  WITH CHECK (user_id = (SELECT auth.uid()) AND can_manage_goal(goal_id));
CREATE POLICY manager_update ON ai_plans FOR UPDATE TO authenticated
  USING (can_manage_goal(goal_id)) WITH CHECK (can_manage_goal(goal_id));
CREATE POLICY owner_delete ON ai_plans FOR DELETE TO authenticated USING (user_id = (SELECT auth.uid()));

-- llm_usage: one row per LLM call, for the user's daily token budget. A user may read and add
-- their own rows, never change or remove one (a budget that could be reset would be none).
CREATE TABLE llm_usage (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id           uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  job               text NOT NULL CHECK (job <> '' AND length(job) <= 40),
  model             text NOT NULL CHECK (length(model) <= 200),
  prompt_version    int NOT NULL DEFAULT 0 CHECK (prompt_version >= 0),
  prompt_tokens     int NOT NULL CHECK (prompt_tokens >= 0),
  completion_tokens int NOT NULL CHECK (completion_tokens >= 0),
  ok                boolean NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX llm_usage_user_created_idx ON llm_usage (user_id, created_at);
ALTER TABLE llm_usage ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_all ON llm_usage TO service_role USING (true) WITH CHECK (true);
CREATE POLICY owner_select ON llm_usage FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY owner_insert ON llm_usage FOR INSERT TO authenticated WITH CHECK (user_id = (SELECT auth.uid()));
GRANT SELECT, INSERT ON llm_usage TO authenticated;
GRANT ALL ON llm_usage TO service_role;

-- enqueue_later_reply is enqueue_reply for a job finishing what an update asked: the update must
-- be the user's, handled within the last day, and the reply a new message to its chat or its
-- sender (in its thread, if any) — it never edits a message, answers a callback or uses a
-- response_url, which expire long before a job ends.
-- +goose StatementBegin
CREATE FUNCTION enqueue_later_reply(update_key text, to_chat text, body jsonb) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  src jsonb;
  claimed timestamptz;
BEGIN
  SELECT payload, processed_at INTO src, claimed FROM inbound_updates WHERE key = update_key;
  IF src IS NULL OR claimed IS NULL OR claimed < now() - interval '1 day' OR NOT EXISTS (
      SELECT 1 FROM identities i
       WHERE i.user_id = auth.uid() AND i.provider::text = src->>'provider'
         AND i.workspace = coalesce(src->>'workspace', '') AND i.external_id = src->>'external_user_id') THEN
    RAISE EXCEPTION 'not a recent update of this user' USING ERRCODE = '42501';
  END IF;
  IF to_chat IS DISTINCT FROM src->>'chat_id' AND to_chat IS DISTINCT FROM src->>'external_user_id' THEN
    RAISE EXCEPTION 'a reply goes to the chat of its update or to its sender' USING ERRCODE = '42501';
  END IF;
  IF coalesce(body->'reply'->>'edit_ref', '') <> '' OR coalesce(body->>'callback_id', '') <> ''
     OR coalesce(body->>'response_url', '') <> ''
     OR coalesce(body->>'thread_id', '') NOT IN ('', coalesce(src->>'thread_id', '')) THEN
    RAISE EXCEPTION 'a later reply is a new message in its update''s chat or thread' USING ERRCODE = '42501';
  END IF;
  INSERT INTO outbox (user_id, provider, workspace, chat, payload)
  VALUES (auth.uid(), (src->>'provider')::identity_provider, coalesce(src->>'workspace', ''), to_chat,
          jsonb_set(body, '{user_id}', to_jsonb(src->>'external_user_id')));
END $$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION enqueue_later_reply(text, text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION enqueue_later_reply(text, text, jsonb) TO authenticated;

-- +goose Down
DROP FUNCTION enqueue_later_reply(text, text, jsonb);
DROP TABLE llm_usage;
DROP POLICY manager_select ON ai_plans;
DROP POLICY manager_insert ON ai_plans;
DROP POLICY manager_update ON ai_plans;
DROP POLICY owner_delete ON ai_plans;
CREATE POLICY owner_all ON ai_plans TO authenticated
  USING (user_id = (SELECT auth.uid())) WITH CHECK (user_id = (SELECT auth.uid()));
