package main

import (
	"log/slog"

	"github.com/bizconnect/bizconnect/core/chat"
	"github.com/bizconnect/bizconnect/core/nlu"
	"github.com/bizconnect/bizconnect/core/postgres"
)

// newAssistant builds the conversational core on db with the offline understanding.
func newAssistant(cfg Config, db *postgres.DB, logger *slog.Logger) *chat.Assistant {
	return chat.NewAssistant(chat.AssistantOptions{
		Store:        postgres.NewStore(db),
		Understander: nlu.Understander{},
		DefaultTZ:    cfg.DefaultTZ.String(),
		Logger:       logger,
	})
}
