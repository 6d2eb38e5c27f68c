package nlu

import (
	"time"

	"github.com/bizconnect/bizconnect/core"
)

// Understander is the offline core.Understander: the rule-based parser, fuzzy matching and the
// city table. It has no state; the zero value is ready.
type Understander struct{}

var _ core.Understander = Understander{}

// Understand implements core.Understander.
func (Understander) Understand(text string, now time.Time, lang string) core.Understanding {
	return Parse(text, Options{Now: now, Lang: lang})
}

// UnderstandAs implements core.Understander.
func (Understander) UnderstandAs(text string, intent core.Intent, now time.Time, lang string) core.Understanding {
	return ParseAs(text, intent, Options{Now: now, Lang: lang})
}

// MatchScore implements core.Understander.
func (Understander) MatchScore(query, title string) float64 { return MatchScore(query, title) }

// CityTimezone implements core.Understander.
func (Understander) CityTimezone(name string) (string, bool) { return CityTimezone(name) }
