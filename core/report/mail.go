package report

import (
	"time"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/mail"
)

// MailJob mails a user their weekly report of the week starting Week, once: the scheduler's
// weekly push schedules it beside the chat's report.
type MailJob struct {
	User uuid.UUID `json:"user"`
	Week core.Date `json:"week"`
	// Until is when it is no longer worth sending (a day after the push).
	Until time.Time `json:"until"`
}

// Kind implements core.Job.
func (MailJob) Kind() string { return "report_mail" }

// Mail is r as an email: its title, the text, and the HTML with the chart inline by Content-ID.
func (r *Weekly) Mail() (mail.Message, error) {
	png, err := r.Chart()
	if err != nil {
		return mail.Message{}, err
	}
	page, err := r.HTML("cid:chart")
	if err != nil {
		return mail.Message{}, err
	}
	return mail.Message{Subject: r.Title(), Text: r.Text().String(), HTML: page, Lang: r.Lang,
		Inline: []mail.Inline{{ContentID: "chart", Name: "chart.png", Type: "image/png", Data: png}}}, nil
}
