package auth

import (
	"time"

	"github.com/bizconnect/bizconnect/core/locale"
	"github.com/bizconnect/bizconnect/core/mail"
)

// accountMail is one account mail in the account's language.
type accountMail struct {
	lang, purpose string
	link, code    string
	ttl           time.Duration
}

func (m accountMail) message(to string) mail.Message {
	key := "mail_" + m.purpose
	t := func(suffix string, args ...any) string { return locale.T(m.lang, key+suffix, args...) }
	n := mail.Notice{Lang: lang(m.lang), Heading: t("_heading"), Button: t("_button"), ButtonURL: m.link,
		Code: m.code, Footer: locale.T(m.lang, "mail_footer")}
	n.Paragraphs = []string{t("_body", to)}
	if m.code != "" {
		n.Paragraphs = append(n.Paragraphs, locale.T(m.lang, "mail_code", locale.Plural(m.lang, int(m.ttl.Minutes()), "minute_acc")))
	}
	n.Paragraphs = append(n.Paragraphs, t("_ignore"))
	html, err := n.HTML()
	if err != nil {
		html = "" // the text part alone still says everything
	}
	return mail.Message{To: to, Subject: t("_subject"), Text: n.Text(), HTML: html, Lang: n.Lang}
}

func lang(l string) string {
	if l == "ru" {
		return "ru"
	}
	return "en"
}
