-- When a person first wrote to the bot in a private chat. Until then Telegram refuses to write to
-- them there ("bot can't initiate conversation with a user"), so in a group they are asked to
-- open the private chat instead of being answered in one that doesn't exist.

-- +goose Up
ALTER TABLE identities ADD COLUMN private_at timestamptz;
-- everyone known so far could be written to: the bot only ever answered where they wrote
UPDATE identities SET private_at = created_at;

-- +goose Down
ALTER TABLE identities DROP COLUMN private_at;
