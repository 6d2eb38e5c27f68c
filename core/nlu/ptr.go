package nlu

import "github.com/bizconnect/bizconnect/core"

type coreDate = core.Date

func intPtr(v int) *int              { return &v }
func floatPtr(v float64) *float64    { return &v }
func strPtr(v string) *string        { return &v }
func boolPtr(v bool) *bool           { return &v }
func datePtr(d core.Date) *core.Date { return &d }
func clockPtr(c core.ClockTime) *core.ClockTime {
	return &c
}
