package main

import (
	"log/slog"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/nlu"
	"github.com/bizconnect/bizconnect/core/postgres"
)

// newAssistant builds the conversational core on db with the offline understanding.
func newAssistant(cfg Config, db *postgres.DB, logger *slog.Logger) *core.Assistant {
	return core.NewAssistant(core.AssistantOptions{
		Store:        postgres.NewStore(db),
		Understander: nlu.Understander{},
		DefaultTZ:    cfg.DefaultTZ.String(),
		Logger:       logger,
	})
}
